from threadguard.attributes import ATTRIBUTES
from threadguard.model.synthetic import generate, obfuscate


def test_generation_is_deterministic_and_labelled() -> None:
    a, b = generate(per_template=5, seed=1), generate(per_template=5, seed=1)
    assert a.equals(b)
    assert set(ATTRIBUTES) <= set(a.columns)
    assert a["THREAT"].max() == 1.0 and a["THREAT"].min() == 0.0
    assert a[list(ATTRIBUTES)].isna().sum().sum() == 0


def test_obfuscation_changes_the_word() -> None:
    import random

    rng = random.Random(0)
    assert any(obfuscate("moron", rng) != "moron" for _ in range(10))
