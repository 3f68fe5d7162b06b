from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tribune.understand.textnorm import NormalisedText, fold_cased, fold_chars, normalise_name


def _find(text: str, name: str) -> list[str]:
    """Every original substring that the normalised search for ``name`` maps back to."""
    nt = NormalisedText(text)
    key = f" {normalise_name(name)} "
    out = []
    i = nt.norm.find(key)
    while i >= 0:
        start = nt.to_original(i + 1)
        end = nt.to_original(i + len(key) - 1)
        out.append(text[start:end])
        i = nt.norm.find(key, i + 1)
    return out


def test_punctuation_spacing_and_case_are_folded() -> None:
    text = "The  Communist\n Party of TÜRKİYE (TKP), “Workers’ Party”!"
    assert _find(text, "Communist Party of Türkiye") == ["Communist\n Party of TÜRKİYE"]
    assert _find(text, "TKP") == ["TKP"]
    assert _find(text, "Workers' Party") == ["Workers’ Party"]


def test_whole_words_only() -> None:
    assert _find("the TKPs and ATKP", "TKP") == []
    assert _find("KKE, KKE.", "KKE") == ["KKE", "KKE"]


def test_fold_keeps_length_and_drops_diacritics() -> None:
    for text in ("Βενεζουέλα", "Ünal Çağlar", "İzmir", "São Paulo", "Đảng Cộng sản"):
        assert len(fold_chars(text)) == len(text)
    assert fold_chars("São Paulo") == "sao paulo"
    assert fold_chars("İzmir") == "izmir"


def test_fold_cased_keeps_case() -> None:
    assert fold_cased("CPI(M)") == "CPI M"
    assert fold_cased("PCdoB") == "PCdoB"


@given(
    st.lists(
        st.sampled_from(["KKE", " ", "  ", "\n", ",", "’", "Ä", "Party", "(", ")", "x", "İ", "-"]),
        max_size=30,
    )
)
def test_offsets_map_back_to_matching_text(parts: list[str]) -> None:
    text = "".join(parts)
    for found in _find(text, "KKE"):
        assert found == "KKE"
    assert len(_find(text, "KKE")) == len(
        [i for i in range(len(text)) if text.startswith("KKE", i) and _alone(text, i, i + 3)]
    )


def _alone(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")
