"""Read /metrics as Prometheus would, for tests that count."""
from prometheus_client.parser import text_string_to_metric_families


def parse(exposition: str) -> dict:
    """(sample name, sorted labels) → value."""
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(exposition) for s in family.samples}


def scrape(client, **kwargs) -> dict:
    res = client.get("/metrics", **kwargs)
    assert res.status_code == 200, res.data[:300]
    return parse(res.get_data(as_text=True))


def sample(values: dict, name: str, **labels) -> float:
    return values.get((name, tuple(sorted(labels.items()))), 0.0)
