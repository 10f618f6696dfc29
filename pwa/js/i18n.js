// French and English. The language comes from the browser unless the operator picks one in Settings.
// A string that counts something has a form per plural category of the language, `key_one` and `key_other`
// (French says 0 and 1 in the singular), chosen by the count passed as `n`: t("late_refused", { n: 2 }).
import { settings } from "./settings.js";

const STRINGS = {
  en: {
    app_name: "Tendu",
    back: "Back",
    online: "Online", offline: "Offline",
    update_ready: "A new version is ready.", update_now: "Update",
    // sign in
    sign_in: "Sign in", username: "User name", password: "Password", device_name: "Device name",
    signing_in: "Signing in…", sign_in_failed: "Sign-in failed", sign_in_offline: "No network: sign in when the Wi-Fi is back.",
    signed_out_notice: "Your session has ended. Sign in again; scans waiting on this device are kept.",
    // home
    home: "Tendu", receive: "Receive", put_away: "Put away", pick: "Pick", ship: "Ship", count: "Count",
    lookup: "Look up", queue: "Sync queue", settings: "Settings",
    hello: "Signed in as {user} ({role})",
    role_operator: "operator", role_supervisor: "supervisor", role_admin: "administrator",
    // scan panel
    scan_hint: "Scan with the handheld, use the camera, or type the code.",
    camera: "Camera", type_code: "Type code", code: "Code", ok: "OK", stop_camera: "Stop camera",
    torch: "Torch", camera_failed: "The camera could not start: {reason}. Type the code instead.",
    camera_no_decoder: "This browser cannot read barcodes from the camera. Type the code instead.",
    camera_starting: "Starting the camera…",
    // results
    scan_applied: "Done", scan_lookup: "Found", scan_pending: "Waiting for a supervisor",
    scan_refused: "Refused", scan_queued: "Saved on this device",
    queued_detail: "No network: the scan will be sent when the connection is back.",
    next_step: "What to do: {step}",
    step_409: "check the order and the bin, then scan the right item.",
    step_422: "the label could not be read: type the code by hand or scan another label.",
    step_bad_check_digit: "scan it again; if it is your company's own code, ask a supervisor to link it.",
    wrong_check_digit: "Wrong check digit: {expected} expected, {read} read. The code was misread.",
    step_404: "this code is unknown: ask a supervisor to link it to a product, then scan again.",
    step_403: "ask a supervisor to do this.",
    step_default: "check the label and the order, then scan again or ask a supervisor.",
    step_unknown_order: "check the order's number on its paper, then scan its label again.",
    step_unknown_location: "scan the label of the right place (a bin, the dock or dispatch).",
    step_order_state: "check where this order stands with a supervisor.",
    step_409_count: "check the bin and the item, then count and scan again.",
    step_choose_lot: "choose below the lot you counted, or scan the lot's label.",
    step_whole_units: "this item is counted in whole pieces: type a whole number.",
    step_misread_count: "check the quantity on the label (or the one typed), then scan again.",
    // receive
    receive_title: "Reception", receive_prompt_order: "Scan the purchase order label (TL:PO:…)",
    receive_prompt_items: "Scan the cartons or items of {order}",
    change_order: "Change order", status_partly: "partly {status}", order: "Order", line_ordered: "ordered", line_received: "received",
    line_picked: "picked", line_short: "short",
    need_order_first: "Scan the purchase order label first.",
    no_lines_yet: "Lines appear after the order label is read by the server.",
    // open orders, to tap one instead of scanning its label
    orders_to_receive: "Orders to receive: tap one or scan its label",
    orders_to_pick: "Orders to pick: tap one or scan its label",
    orders_to_ship: "Orders to ship: tap one to ship it, or scan its label",
    orders_loading: "Loading the open orders…", no_open_orders: "No order waiting.",
    orders_saved: "list saved {age}.", orders_not_saved: "no list of orders saved on this device.",
    server_unavailable: "Server unavailable", lines: "Lines", left: "Left",
    // put away
    put_away_title: "Put-away", put_away_prompt_bin: "Scan the bin label",
    put_away_prompt_items: "Scan the items you put in {bin}", bin: "Bin", dock: "Dock", change_bin: "Change bin",
    need_bin_first: "Scan the bin label first.",
    need_bin_label_offline: "Offline, this code is none of the bins this device knows: scan the bin's Tendu label (TL:LOC:…).",
    not_a_bin_code: "{code} is not a bin: scan the bin's label.",
    unknown_bin_code: "{code} is no bin known here: scan the bin's label.",
    unknown_place: "No place {code}: scan another label.",
    // pick
    pick_title: "Picking", pick_prompt_order: "Scan the sales order label (TL:SO:…)",
    pick_prompt_bin: "Go to {bin} and scan the bin label", pick_prompt_item: "Scan the item in {bin}",
    pick_done: "Everything is picked.", pick_list_offline: "No network and no saved pick list for {order}.",
    wrong_bin_title: "Not the expected bin",
    wrong_bin_hint: "Expected bin {expected}; you scanned {bin}.",
    lot: "Lot", expiry: "Expiry", qty: "Qty", item: "Item",
    // the quantity of the next scan (reception, put-away, picking)
    qty_label: "Quantity", qty_for_next_scan: "For the next scan, then back to 1 (3 cartons of 12 = 36).",
    qty_empty: "Type how many you scan (1 for one).",
    qty_not_a_number: "“{value}” is not a quantity: type a number, e.g. 20 or 1.5.",
    qty_ambiguous: "“{value}”: a thousand or a decimal? Type it without the comma (1000) or with a point (1.5).",
    qty_not_positive: "The quantity must be more than 0: type how many you scan (1 for one).",
    qty_too_large: "More than {max} at once is refused: check the quantity.",
    qty_decimals: "“{value}”: at most three decimals.",
    // ship
    ship_title: "Shipment", ship_prompt: "Scan the sales order label (TL:SO:…) to ship it",
    // count
    count_title: "Cycle count", count_prompt_bin: "Scan the bin label",
    count_prompt_item: "Type the quantity counted, then scan the item", counted_qty: "Quantity counted",
    need_qty_first: "Type the quantity counted first.",
    count_negative: "A count cannot be negative: type what is in the bin (0 if it is empty).",
    count_not_a_number: "“{value}” is not a quantity: type a number, e.g. 12 or 1.5.",
    count_ambiguous: "“{value}”: a thousand or a decimal? Type it without the comma (1000) or with a point (1.5).",
    count_which_lot: "Which lot did you count? The same quantity is sent for the lot chosen.",
    // lookup
    lookup_title: "Look up", lookup_prompt: "Scan or type any code: product, bin or document",
    on_hand: "On hand", reserved: "Reserved", available: "Available", on_order: "On order",
    expected: "Expected", promise: "Promise to a customer", where: "Where", contents: "Contents", nothing_here: "Nothing here.",
    cached_as_of: "No network: data saved {age}.", no_cached_data: "No network, and this code was never looked up on this device.",
    // queue
    queue_title: "Sync queue", to_resolve: "To resolve", pending: "Waiting to be sent", sent: "Sent",
    send_now: "Send now", scan_again: "Scan again", dismiss: "Dismiss", nothing_pending: "Nothing waiting.",
    waits_for_user: "scanned by {user}: sent when {user} signs in here", send_as_me: "Send as mine",
    nothing_to_resolve: "Nothing to resolve.", next_try: "Next try {when}", last_problem: "Last problem: {problem}",
    problem_network: "no network", problem_server: "the server is unavailable", problem_auth: "sign in again",
    dismiss_all: "Dismiss all",
    dismiss_all_confirm_one: "Dismiss {n} refused scan? It will not be sent again.",
    dismiss_all_confirm_other: "Dismiss these {n} refused scans? They will not be sent again.",
    dismiss_all_yes_one: "Dismiss {n} scan", dismiss_all_yes_other: "Dismiss {n} scans", keep_them: "Keep them",
    late_refused_one: "{n} scan made offline was refused.", late_refused_other: "{n} scans made offline were refused.",
    late_held_one: "{n} scan made offline waits for a supervisor.", late_held_other: "{n} scans made offline wait for a supervisor.",
    late_where: "See To resolve in the sync queue.",
    decision_accepted: "Accepted by a supervisor", decision_rejected: "Rejected by a supervisor",
    decisions_came_one: "A supervisor decided {n} scan held for them.",
    decisions_came_other: "A supervisor decided {n} scans held for them.", supervisor_note: "Note: “{note}”",
    decisions_mixed: "A supervisor decided: {accepted}, {rejected}", n_accepted: "{n} accepted", n_rejected: "{n} rejected",
    decision_of: "{what}: {outcome}", decided_applied: "accepted", decided_rejected: "rejected",
    // settings
    settings_title: "Settings", language: "Language", language_auto: "From the browser",
    fnc1_substitute: "FNC1 substitute sent by the scanner", fnc1_help: "Character your scanner sends instead of the invisible GS separator (e.g. ~). Leave empty if it sends the real one.",
    keyboard_layout: "Scanner keyboard layout", layout_auto: "Automatic", layout_us: "Scanner set for a US QWERTY keyboard",
    layout_help: "Choose US QWERTY if the scanner types &é\"' instead of 1234 on this device.",
    sound: "Sound", vibration: "Vibration", sign_out: "Sign out", save: "Save", saved: "Saved", version: "Version",
    // an order's status (purchase and sales orders), as the server sends it
    status_open: "open", status_suggested: "suggested", status_picked: "picked", status_packed: "packed",
    status_draft: "draft", status_need_detected: "suggested", status_ordered: "ordered", status_confirmed: "confirmed",
    status_shipped: "shipped", status_arrived: "at the dock", status_received: "received", status_put_away: "put away", status_closed: "closed short", status_cancelled: "cancelled",
    // time
    just_now: "just now", minutes_ago: "{n} min ago", hours_ago: "{n} h ago", days_ago: "{n} days ago",
    in_seconds: "in {n} s",
    status_part_shipped: "shipped in part (back-order)",
    line_shipped: "shipped", line_left: "left to deliver",
    not_in_stock: "not in stock", pick_not_in_stock: "{what} not in stock: ship what is picked.",
    to_ship: "To ship", ship_held: "your shipment waits for a supervisor",
  },
  fr: {
    app_name: "Tendu",
    back: "Retour",
    online: "En ligne", offline: "Hors ligne",
    update_ready: "Une nouvelle version est prête.", update_now: "Mettre à jour",
    sign_in: "Se connecter", username: "Identifiant", password: "Mot de passe", device_name: "Nom de l'appareil",
    signing_in: "Connexion…", sign_in_failed: "Connexion refusée", sign_in_offline: "Pas de réseau : connectez-vous quand le Wi-Fi revient.",
    signed_out_notice: "Votre session est terminée. Reconnectez-vous ; les scans en attente sur cet appareil sont conservés.",
    home: "Tendu", receive: "Réception", put_away: "Rangement", pick: "Préparation", ship: "Expédition",
    count: "Inventaire", lookup: "Consulter", queue: "File d'envoi", settings: "Réglages",
    hello: "Connecté : {user} ({role})",
    role_operator: "opérateur", role_supervisor: "responsable", role_admin: "administrateur",
    scan_hint: "Scannez avec la douchette, utilisez la caméra ou tapez le code.",
    camera: "Caméra", type_code: "Taper le code", code: "Code", ok: "OK", stop_camera: "Arrêter la caméra",
    torch: "Lampe", camera_failed: "La caméra n'a pas démarré : {reason}. Tapez le code.",
    camera_no_decoder: "Ce navigateur ne sait pas lire les codes avec la caméra. Tapez le code.",
    camera_starting: "Démarrage de la caméra…",
    scan_applied: "Fait", scan_lookup: "Trouvé", scan_pending: "En attente d'un responsable",
    scan_refused: "Refusé", scan_queued: "Enregistré sur l'appareil",
    queued_detail: "Pas de réseau : le scan partira dès le retour de la connexion.",
    next_step: "Que faire : {step}",
    step_409: "vérifiez la commande et l'emplacement, puis scannez le bon article.",
    step_422: "l'étiquette est illisible : tapez le code à la main ou scannez une autre étiquette.",
    step_bad_check_digit: "scannez-le à nouveau ; si c'est un code propre à votre entreprise, demandez à un responsable de l'associer.",
    wrong_check_digit: "Chiffre de contrôle faux : {expected} attendu, {read} lu. Le code a été mal lu.",
    step_404: "code inconnu : demandez à un responsable de l'associer à un article, puis rescannez.",
    step_403: "demandez à un responsable.",
    step_default: "vérifiez l'étiquette et la commande, puis rescannez ou demandez à un responsable.",
    step_unknown_order: "vérifiez le numéro sur le bon de commande, puis rescannez son étiquette.",
    step_unknown_location: "scannez l'étiquette du bon endroit (emplacement, quai ou expédition).",
    step_order_state: "voyez avec un responsable où en est cette commande.",
    step_409_count: "vérifiez l'emplacement et l'article, puis recomptez et rescannez.",
    step_choose_lot: "choisissez ci-dessous le lot compté, ou scannez l'étiquette du lot.",
    step_whole_units: "cet article se compte en pièces entières : tapez un nombre entier.",
    step_misread_count: "vérifiez la quantité de l'étiquette (ou celle tapée), puis rescannez.",
    receive_title: "Réception", receive_prompt_order: "Scannez l'étiquette de la commande fournisseur (TL:PO:…)",
    receive_prompt_items: "Scannez les colis ou articles de {order}",
    change_order: "Changer de commande", status_partly: "{status} en partie", order: "Commande", line_ordered: "commandé", line_received: "reçu",
    line_picked: "prélevé", line_short: "manquant",
    need_order_first: "Scannez d'abord l'étiquette de la commande.",
    no_lines_yet: "Les lignes s'affichent quand le serveur a lu l'étiquette de la commande.",
    orders_to_receive: "Commandes à réceptionner : touchez-en une ou scannez son étiquette",
    orders_to_pick: "Commandes à préparer : touchez-en une ou scannez son étiquette",
    orders_to_ship: "Commandes à expédier : touchez-en une pour l'expédier, ou scannez son étiquette",
    orders_loading: "Chargement des commandes ouvertes…", no_open_orders: "Aucune commande en attente.",
    orders_saved: "liste enregistrée {age}.", orders_not_saved: "aucune liste de commandes enregistrée sur cet appareil.",
    server_unavailable: "Serveur indisponible", lines: "Lignes", left: "Reste",
    put_away_title: "Rangement", put_away_prompt_bin: "Scannez l'étiquette de l'emplacement",
    put_away_prompt_items: "Scannez les articles rangés en {bin}", bin: "Emplacement", dock: "Quai", change_bin: "Changer d'emplacement",
    need_bin_first: "Scannez d'abord l'étiquette de l'emplacement.",
    need_bin_label_offline: "Hors ligne, ce code n'est aucun des emplacements connus de l'appareil : scannez l'étiquette Tendu de l'emplacement (TL:LOC:…).",
    not_a_bin_code: "{code} n'est pas un emplacement de stockage : scannez l'étiquette de l'emplacement.",
    unknown_bin_code: "{code} n'est aucun emplacement connu ici : scannez l'étiquette de l'emplacement.",
    unknown_place: "Aucun emplacement {code} : scannez une autre étiquette.",
    pick_title: "Préparation", pick_prompt_order: "Scannez l'étiquette de la commande client (TL:SO:…)",
    pick_prompt_bin: "Allez en {bin} et scannez l'emplacement", pick_prompt_item: "Scannez l'article en {bin}",
    pick_done: "Tout est prélevé.", pick_list_offline: "Pas de réseau et pas de liste enregistrée pour {order}.",
    wrong_bin_title: "Pas l'emplacement attendu",
    wrong_bin_hint: "Emplacement attendu {expected} ; vous avez scanné {bin}.",
    lot: "Lot", expiry: "DLC", qty: "Qté", item: "Article",
    qty_label: "Quantité", qty_for_next_scan: "Pour le prochain scan, puis revient à 1 (3 cartons de 12 = 36).",
    qty_empty: "Tapez combien vous en scannez (1 pour un).",
    qty_not_a_number: "« {value} » n'est pas une quantité : tapez un nombre, par ex. 20 ou 1,5.",
    qty_ambiguous: "« {value} » : un millier ou une décimale ? Tapez-le sans virgule (1000) ou avec un point (1.5).",
    qty_not_positive: "La quantité doit être supérieure à 0 : tapez combien vous en scannez (1 pour un).",
    qty_too_large: "Plus de {max} d'un coup est refusé : vérifiez la quantité.",
    qty_decimals: "« {value} » : trois décimales au plus.",
    ship_title: "Expédition", ship_prompt: "Scannez l'étiquette de la commande client (TL:SO:…) pour l'expédier",
    count_title: "Inventaire tournant", count_prompt_bin: "Scannez l'étiquette de l'emplacement",
    count_prompt_item: "Tapez la quantité comptée, puis scannez l'article", counted_qty: "Quantité comptée",
    need_qty_first: "Tapez d'abord la quantité comptée.",
    count_negative: "Un comptage ne peut être négatif : tapez ce qu'il y a dans l'emplacement (0 s'il est vide).",
    count_not_a_number: "« {value} » n'est pas une quantité : tapez un nombre, par ex. 12 ou 1,5.",
    count_ambiguous: "« {value} » : mille ou un nombre décimal ? Tapez-le sans la virgule (1000) ou avec un point (1.5).",
    count_which_lot: "Quel lot avez-vous compté ? La même quantité est envoyée pour le lot choisi.",
    lookup_title: "Consulter", lookup_prompt: "Scannez ou tapez un code : article, emplacement ou document",
    on_hand: "En stock", reserved: "Réservé", available: "Disponible", on_order: "En commande",
    expected: "Attendu le", promise: "Promesse au client", where: "Où", contents: "Contenu", nothing_here: "Rien ici.",
    cached_as_of: "Pas de réseau : données enregistrées {age}.", no_cached_data: "Pas de réseau, et ce code n'a jamais été consulté sur cet appareil.",
    queue_title: "File d'envoi", to_resolve: "À régler", pending: "En attente d'envoi", sent: "Envoyés",
    send_now: "Envoyer maintenant", scan_again: "Rescanner", dismiss: "Écarter", nothing_pending: "Rien en attente.",
    waits_for_user: "scanné par {user} : envoyé quand {user} se connectera ici", send_as_me: "Envoyer à mon nom",
    nothing_to_resolve: "Rien à régler.", next_try: "Prochain essai {when}", last_problem: "Dernier problème : {problem}",
    problem_network: "pas de réseau", problem_server: "serveur indisponible", problem_auth: "reconnectez-vous",
    dismiss_all: "Tout écarter",
    dismiss_all_confirm_one: "Écarter {n} scan refusé ? Il ne sera plus envoyé.",
    dismiss_all_confirm_other: "Écarter ces {n} scans refusés ? Ils ne seront plus envoyés.",
    dismiss_all_yes_one: "Écarter {n} scan", dismiss_all_yes_other: "Écarter {n} scans", keep_them: "Les garder",
    late_refused_one: "{n} scan fait hors ligne refusé.", late_refused_other: "{n} scans faits hors ligne refusés.",
    late_held_one: "{n} scan fait hors ligne en attente d'un responsable.",
    late_held_other: "{n} scans faits hors ligne en attente d'un responsable.",
    late_where: "Voir « À régler » dans la file d'envoi.",
    decision_accepted: "Accepté par un responsable", decision_rejected: "Refusé par un responsable",
    decisions_came_one: "Un responsable a tranché {n} scan mis en attente.",
    decisions_came_other: "Un responsable a tranché {n} scans mis en attente.", supervisor_note: "Note : « {note} »",
    decisions_mixed: "Un responsable a tranché : {accepted}, {rejected}",
    n_accepted_one: "{n} accepté", n_accepted_other: "{n} acceptés", n_rejected_one: "{n} refusé", n_rejected_other: "{n} refusés",
    decision_of: "{what} : {outcome}", decided_applied: "accepté", decided_rejected: "refusé",
    settings_title: "Réglages", language: "Langue", language_auto: "Celle du navigateur",
    fnc1_substitute: "Remplaçant du FNC1 envoyé par la douchette", fnc1_help: "Caractère que la douchette envoie à la place du séparateur GS invisible (ex. ~). Laissez vide si elle envoie le vrai.",
    keyboard_layout: "Clavier de la douchette", layout_auto: "Automatique", layout_us: "Douchette réglée en QWERTY US",
    layout_help: "Choisissez QWERTY US si la douchette tape &é\"' au lieu de 1234 sur cet appareil.",
    sound: "Son", vibration: "Vibration", sign_out: "Se déconnecter", save: "Enregistrer", saved: "Enregistré", version: "Version",
    status_open: "ouverte", status_suggested: "suggérée", status_picked: "préparée", status_packed: "emballée",
    status_draft: "brouillon", status_need_detected: "suggérée", status_ordered: "commandée", status_confirmed: "confirmée",
    status_shipped: "expédiée", status_arrived: "à quai", status_received: "reçue", status_put_away: "rangée", status_closed: "soldée", status_cancelled: "annulée",
    just_now: "à l'instant", minutes_ago: "il y a {n} min", hours_ago: "il y a {n} h", days_ago: "il y a {n} jours",
    in_seconds: "dans {n} s",
    status_part_shipped: "expédiée en partie (reliquat)",
    line_shipped: "expédié", line_left: "reste à livrer",
    not_in_stock: "pas en stock", pick_not_in_stock: "{what} : pas en stock, expédiez ce qui est prélevé.",
    to_ship: "À expédier", ship_held: "votre expédition attend un responsable",
  },
};

// More strings from a part of the app that keeps its own (the supervisor views): {en: {...}, fr: {...}}.
export function extendStrings(more) {
  for (const [lang, strings] of Object.entries(more)) Object.assign(STRINGS[lang] ??= {}, strings);
}

export function language() {
  const chosen = settings().language;
  if (chosen === "en" || chosen === "fr") return chosen;
  for (const tag of navigator.languages || [navigator.language || "en"]) {
    const base = tag.toLowerCase().split("-")[0];
    if (base in STRINGS) return base;
  }
  return "en";
}

export function t(key, vars = {}) {
  const text = lookup(key, typeof vars.n === "number" ? vars.n : null) ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

// The reader's language first, then English; with a count, its plural form (else `_other`) before the plain key.
function lookup(key, count) {
  for (const lang of [language(), "en"]) {
    const strings = STRINGS[lang];
    const form = count === null ? undefined : strings[`${key}_${pluralRules(lang).select(count)}`] ?? strings[`${key}_other`];
    if ((form ?? strings[key]) !== undefined) return form ?? strings[key];
  }
  return undefined;
}

const RULES = {};
function pluralRules(lang) {
  return (RULES[lang] ??= new Intl.PluralRules(lang));
}

export function age(isoDate) {
  const minutes = Math.round((Date.now() - new Date(isoDate).getTime()) / 60000);
  if (minutes < 1) return t("just_now");
  if (minutes < 60) return t("minutes_ago", { n: minutes });
  if (minutes < 48 * 60) return t("hours_ago", { n: Math.round(minutes / 60) });
  return t("days_ago", { n: Math.round(minutes / 1440) });
}

// A day from the server's YYYY-MM-DD, with the month in letters (31 déc. 2028, Dec 31, 2028): 12/07/26 reads
// as July in one language and December in the other. The supervisor views write days the same way.
export function formatDay(iso) {
  if (!iso) return "";
  const [year, month, day] = String(iso).slice(0, 10).split("-").map(Number);
  return new Intl.DateTimeFormat(language(), { day: "numeric", month: "short", year: "numeric" })
    .format(new Date(year, month - 1, day));
}

// "Label: value", with the space French typography puts before a colon.
export function labelled(label, value) {
  return `${label}${language() === "fr" ? " : " : ": "}${value}`;
}

// A code the server sends (an outcome, an action, a mode, a status) in the reader's words; the code itself
// when there is no word for it yet.
export function word(kind, code) {
  if (!code) return "";
  for (const key of [`${kind}_${code}`, code]) {
    const text = t(key);
    if (text !== key) return text;
  }
  return code;
}

export function formatNumber(value) {
  return value === null || value === undefined ? "–" : new Intl.NumberFormat(language()).format(Number(value));
}
