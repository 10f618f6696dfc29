"""Searches ignore accents and case, alike on SQLite and PostgreSQL: a phone types "equerre" for "Équerre"."""
import io

import pytest

PRODUCTS = {"FD-1": "Frein à disque", "FD-2": "FREIN", "EQ-1": "Équerre", "EQ-2": "équerre", "EQ-3": "Equerre zinc",
            "OE-1": "Œuf de fixation", "PC-1": "Joint 50% _plat_"}


@pytest.fixture
def catalog(client, tokens):
    for sku, name in PRODUCTS.items():
        assert client.post("/api/v1/products", json={"sku": sku, "name": name},
                           headers=tokens["supervisor"]).status_code == 201


def skus(client, tokens, q, path="/api/v1/products"):
    answer = client.get(path, query_string={"q": q}, headers=tokens["operator"])
    assert answer.status_code == 200, answer.json
    return sorted(item.get("sku") or item.get("code") for item in answer.json["items"])


@pytest.mark.usefixtures("catalog")
@pytest.mark.parametrize("typed, found", [
    ("frein", ["FD-1", "FD-2"]),               # stored with capitals, typed without
    ("FREIN À", ["FD-1"]),                     # typed with an accent and capitals
    ("equerre", ["EQ-1", "EQ-2", "EQ-3"]),     # stored with an accent, typed without
    ("Équerre", ["EQ-1", "EQ-2", "EQ-3"]),     # typed with one, also finds the one stored without
    ("éQUERRE ZINC", ["EQ-3"]),
    ("oeuf", ["OE-1"]), ("ŒUF", ["OE-1"]),     # ligature both ways
    ("fd-", ["FD-1", "FD-2"]),                 # the SKU is searched too, in any case
    ("q-1", ["EQ-1"]),
    ("50%", ["PC-1"]), ("_plat_", ["PC-1"]),   # % and _ are what was typed, not wildcards
    ("0%", ["PC-1"]), ("%", ["PC-1"]),
])
def test_products_are_found_whatever_the_accents_and_case(client, tokens, typed, found):
    assert skus(client, tokens, typed) == found


def test_a_renamed_product_is_found_by_its_new_name_not_its_old_one(client, tokens, catalog):
    sup = tokens["supervisor"]
    assert client.patch("/api/v1/products/FD-2", json={"name": "Étrier"}, headers=sup).status_code == 200
    assert skus(client, tokens, "etrier") == ["FD-2"] and skus(client, tokens, "frein") == ["FD-1"]


def test_an_imported_product_is_found_without_its_accents(client, tokens):
    csv = io.BytesIO("sku,name\nIM-1,Clé à molette\n".encode())
    answer = client.post("/api/v1/imports/products", headers=tokens["supervisor"],
                         content_type="multipart/form-data", data={"file": (csv, "products.csv")})
    assert answer.status_code == 200, answer.json
    assert skus(client, tokens, "cle a mol") == ["IM-1"]


@pytest.mark.parametrize("path", ["/api/v1/suppliers", "/api/v1/customers"])
def test_suppliers_and_customers_are_found_whatever_the_accents_and_case(client, tokens, path):
    sup = tokens["supervisor"]
    for code, name in (("ELEC", "Électricité Générale"), ("GAR", "GARAGE DES ÉTANGS")):
        assert client.post(path, json={"code": code, "name": name}, headers=sup).status_code == 201
    assert skus(client, tokens, "electricite", path) == ["ELEC"]
    assert skus(client, tokens, "Étangs", path) == ["GAR"]
    assert skus(client, tokens, "générale", path) == ["ELEC"]
    assert skus(client, tokens, "gar", path) == ["GAR"]


@pytest.mark.usefixtures("catalog")
def test_the_stock_overview_search_ignores_accents_too(client, tokens):
    answer = client.get("/api/v1/analytics/stock", query_string={"q": "equerre"}, headers=tokens["supervisor"])
    assert answer.status_code == 200, answer.json
    assert sorted(row["sku"] for row in answer.json["items"]) == ["EQ-1", "EQ-2", "EQ-3"]
