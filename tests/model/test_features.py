import numpy as np
import pytest

from threadguard.model.features import DENSE_FEATURES, Featuriser, TokenWeights
from threadguard.model.lexicon import Lexicon
from threadguard.text.normalise import Normaliser

TEXTS = [
    "Line them up and shoot every one of them.",
    "you are a complete 1d10t, you know that?",
    "The council meets on Tuesday.",
    "",
    "WHY WOULD ANYONE WRITE THIS!!!",
]


def featuriser() -> Featuriser:
    lexicon = Lexicon.load()
    return Featuriser(Normaliser(lexicon.words()), lexicon, word_bits=12, char_bits=12).fit(TEXTS)


def test_token_contributions_add_up_to_the_logit() -> None:
    f = featuriser()
    weights = np.random.default_rng(0).normal(size=(f.n_features, 3)).astype(np.float32)
    rows, scales = f.transform_with_scales([f.analyse(text) for text in TEXTS])
    for text, row, row_scales in zip(TEXTS, rows, scales, strict=True):
        analysis = f.analyse(text)
        unanchored = sum(
            (weights[f.n_hashed + i] * v for i, v, first, _ in analysis.dense if first < 0), np.zeros(3)
        )
        for given in (None, row_scales[None]):
            total = f.token_contributions(analysis, weights, given).sum(axis=0) + unanchored
            assert np.allclose(total, np.asarray(row @ weights).ravel(), atol=1e-4)


def test_token_contributions_of_chosen_outputs_equal_those_columns_of_all() -> None:
    f = featuriser()
    weights = np.random.default_rng(1).normal(size=(f.n_features, 5)).astype(np.float32)
    for text in TEXTS:
        analysis = f.analyse(text)
        full = f.token_contributions(analysis, weights)
        for outputs in ([3], [4, 0], [0, 1, 2, 3, 4]):
            chosen = f.token_contributions(analysis, weights, outputs=outputs)
            assert chosen.shape == (len(analysis.tokens), len(outputs))
            assert np.array_equal(chosen, full[:, outputs])  # exactly: spans must not move


def test_blocks_are_l2_normalised() -> None:
    f = featuriser()
    row = f.transform(["you are a complete idiot"]).toarray()[0]
    assert np.isclose(np.linalg.norm(row[: f.n_word]), 1.0)
    assert np.isclose(np.linalg.norm(row[f.n_word : f.n_hashed]), 1.0)


def test_pattern_features_fire_on_calls_for_violence_but_not_on_news() -> None:
    f = featuriser()
    call = {DENSE_FEATURES[i] for i, *_ in f.analyse("Shoot the traitors at dawn.").dense}
    news = {DENSE_FEATURES[i] for i, *_ in f.analyse("Troops shot at the crowd in 1944.").dense}
    assert "pat:violence_call" in call
    assert "pat:violence_call" not in news


def test_evasion_reaches_the_same_lexicon_features() -> None:
    f = featuriser()
    plain = {DENSE_FEATURES[i] for i, *_ in f.analyse("you idiot").dense}
    evaded = {DENSE_FEATURES[i] for i, *_ in f.analyse("you 1d10t").dense}
    assert "lex:insult" in plain and plain == evaded


def test_analyses_from_a_replaced_vocabulary_give_the_same_rows(monkeypatch) -> None:
    import threadguard.model.features as features

    f = featuriser()
    expected = f.transform(TEXTS).toarray()
    monkeypatch.setattr(features, "VOCABULARY_LIMIT", 3)  # a new vocabulary after every few tokens
    g = featuriser()
    analyses = [g.analyse(text) for text in TEXTS]
    assert len({id(a.vocabulary) for a in analyses}) > 1
    assert np.array_equal(g.transform_analyses(analyses).toarray(), expected)


def test_batch_token_contributions_equal_one_text_at_a_time() -> None:
    f = featuriser()
    weights = np.random.default_rng(2).normal(size=(f.n_features, 4)).astype(np.float32)
    analyses = [f.analyse(text) for text in TEXTS]
    scales = f.transform_with_scales(analyses)[1]
    shared = TokenWeights(f, weights)  # kept between calls, as the explainer keeps it
    batch = f.batch_token_contributions(analyses, shared, scales, outputs=[3, 1])
    for i, analysis in enumerate(analyses):
        alone = f.token_contributions(analysis, weights, scales[i : i + 1], outputs=[3, 1])
        again = f.token_contributions(analysis, shared, None, outputs=[3, 1])
        assert np.array_equal(batch[i], alone)  # exactly: spans must not depend on the batch
        assert np.array_equal(batch[i], again)


def test_token_weights_refuse_a_matrix_of_the_wrong_shape() -> None:
    f = featuriser()
    with pytest.raises(ValueError, match="n_features"):
        TokenWeights(f, np.zeros((f.n_features - 1, 2), dtype=np.float32))


def test_no_texts_give_an_empty_matrix_and_no_contributions() -> None:
    f = featuriser()
    assert f.transform([]).shape == (0, f.n_features)
    assert f.batch_token_contributions([], np.zeros((f.n_features, 2), dtype=np.float32)) == []
