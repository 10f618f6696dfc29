"""Undo a QWERTY-configured scanner typing on a French AZERTY machine.

A keyboard-wedge scanner does not send characters, it presses keys: to send "1" it presses the key
that carries "1" on a US QWERTY keyboard (the digit row, unshifted). The operating system reads
that key with the French AZERTY layout, where the digit row gives ``&é"'(-è_çà`` unshifted and
the digits only with Shift. Hence, key by key (QWERTY meant → AZERTY typed):

    digit row   1→&  2→é  3→"  4→'  5→(  6→-  7→è  8→_  9→ç  0→à   -→)  _→°  (= and + unchanged)
    with Shift  !→1  @→2  #→3  $→4  %→5  ^→6  &→7  *→8  (→9  )→0
    letters     q↔a  w↔z  (both cases); the other letters sit on the same keys
    punctuation ;→m  :→M  '→ù  "→%  [→^ (dead key, not undone)  ]→$  }→£  \\→*  |→µ
                m→,  M→?  ,→;  <→.  .→:  >→/  /→!  ?→§

So the human-readable ``(01)`` arrives as ``9à&0``, the AIM prefix ``]C1`` as ``$C&`` and a label's
``TL:LOC:`` as ``TLMLOCM``. The table below is that map read backwards. The parser applies it only
to a scan that does not read as it is, and keeps the result only if it then validates.
"""
from __future__ import annotations

_TYPED_TO_MEANT = {
    "&": "1", "é": "2", '"': "3", "'": "4", "(": "5", "-": "6", "è": "7", "_": "8", "ç": "9", "à": "0",
    ")": "-", "°": "_",
    "1": "!", "2": "@", "3": "#", "4": "$", "5": "%", "6": "^", "7": "&", "8": "*", "9": "(", "0": ")",
    "a": "q", "A": "Q", "q": "a", "Q": "A", "z": "w", "Z": "W", "w": "z", "W": "Z",
    "m": ";", "M": ":", "ù": "'", "%": '"', "$": "]", "£": "}", "*": "\\", "µ": "|",
    ",": "m", "?": "M", ";": ",", ".": "<", ":": ".", "/": ">", "!": "/", "§": "?",
}
_TABLE = str.maketrans(_TYPED_TO_MEANT)


def repair_azerty(text: str) -> str:
    """What the scanner meant to type, if ``text`` went through an AZERTY layout."""
    return text.translate(_TABLE)
