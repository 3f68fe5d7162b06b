"""Document kinds: the cue rules in several languages, the classifier and their combination."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from tribune.understand import kind_model
from tribune.understand.kind_model import Example, probabilities, read_examples, train
from tribune.understand.kinds import KINDS, guess_kind, rule_scores

# (title, opening, the kind its cues point to): written for these tests
CUED = [
    ("Joint Statement of Communist and Workers' Parties on Palestine", "", "joint-statement"),
    ("Declaración conjunta de partidos comunistas", "Los partidos firmantes...", "joint-statement"),
    ("TKP ve KKE'den ortak açıklama", "", "joint-statement"),
    ("Совместное заявление коммунистических партий", "", "joint-statement"),
    ("Συλλυπητήρια του ΚΚΕ", "Με βαθιά θλίψη πληροφορηθήκαμε...", "condolence"),
    ("Condolences on the passing of comrade Ahmed", "", "condolence"),
    ("Yoldaşımızın ölümü", "Yoldaşımız dün hayatını kaybetti. Başsağlığı diliyoruz.", "condolence"),
    ("Entrevista a la secretaria general del PCE", "", "interview"),
    ("Интервью Г.А. Зюганова газете «Правда»", "", "interview"),
    ("Saudação ao XXII Congresso do PCP", "", "greeting"),
    ("Χαιρετισμός στο Συνέδριο του ΚΚ Κούβας", "", "greeting"),
    ("Contribution of the CP of Britain to the 23rd IMCWP", "", "meeting-document"),
    ("Ερώτηση βουλευτών του ΚΚΕ για τους πλειστηριασμούς", "", "parliamentary"),
    ("TKP milletvekili Meclis'te konuştu", "", "parliamentary"),
    ("Заявление Президиума ЦК КПРФ", "", "statement"),
    ("Statement of the Political Bureau", "The Political Bureau condemns the attack.", "statement"),
]


@pytest.mark.parametrize(("title", "opening", "kind"), CUED)
def test_cues_point_to_the_kind_in_every_language(title: str, opening: str, kind: str) -> None:
    scores, evidence = rule_scores(title, opening)
    assert max(scores, key=lambda k: scores[k]) == kind, (scores, evidence)
    assert any(e.startswith(kind + ":") for e in evidence)


def test_cues_match_whole_words_and_any_ending_only_where_marked() -> None:
    # "statements" is not the cue "statement" (no *), "Соболезнования" is "соболезн*"
    assert "statement" not in rule_scores("Statements archive", "")[0]
    assert "condolence" in rule_scores("Соболезнования в связи с кончиной", "")[0]
    assert rule_scores("Bulletin", "Nothing to see.") == ({}, [])


def test_the_title_weighs_more_than_the_opening() -> None:
    scores, _ = rule_scores("Interview", "The party issued a statement.")
    assert scores["interview"] > scores["statement"]


def test_only_the_opening_of_the_text_is_read() -> None:
    late = "x " * 400 + "Joint statement"
    assert "joint-statement" not in rule_scores("Untitled", late)[0]


def _examples() -> list[Example]:
    texts = {
        "condolence": ["Farewell to our comrade", "In memory of a fighter", "Our comrade has died"],
        "news": ["New office in Porto", "Newspaper issue 12 out", "Candidate list filed"],
        "campaign": ["Everyone to the streets", "Fund the press", "Collect signatures now"],
    }
    return [Example(t, t, "en", kind) for kind, titles in texts.items() for t in titles]


def test_the_classifier_is_reproducible_and_gives_every_kind_it_knows() -> None:
    first, second = train(_examples()), train(_examples())
    p1 = probabilities("Our comrade has died", "", first)
    p2 = probabilities("Our comrade has died", "", second)
    assert p1 == p2
    assert set(p1) == {"condolence", "news", "campaign"}
    assert max(p1, key=lambda k: p1[k]) == "condolence"
    assert sum(p1.values()) == pytest.approx(1.0)


def test_rules_and_classifier_are_averaged() -> None:
    model = train(_examples())
    # no cue: the classifier alone decides
    alone = guess_kind("Fund the press", "", model=model)
    assert alone is not None
    assert alone.kind == "campaign"
    assert alone.evidence == "classifier"
    # with a cue, the average of the two opinions
    title = "Condolences: farewell to our comrade"
    scores, _ = rule_scores(title, "")
    learned = probabilities(title, "", model)
    both = {
        k: 0.5 * scores.get(k, 0.0) / sum(scores.values()) + 0.5 * learned.get(k, 0.0)
        for k in KINDS
    }
    cued = guess_kind(title, "", model=model)
    assert cued is not None
    assert cued.kind == max(both, key=lambda k: both[k]) == "condolence"
    assert cued.confidence == pytest.approx(both["condolence"], abs=1e-3)
    assert "condolence" in cued.evidence


def test_without_a_cue_or_a_model_there_is_no_guess(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kind_model, "_packaged", lambda: None)
    assert guess_kind("Bulletin", "Nothing to see.") is None
    found = guess_kind("Joint statement", "")
    assert found is not None
    assert found.kind == "joint-statement"
    assert found.confidence > 0.5  # "statement" is a cue too


def test_the_packaged_model_knows_every_kind() -> None:
    model = kind_model._packaged()
    if model is None:
        pytest.fail("the package holds no labelled texts: run tools/kinds_train.py")
    assert set(model.classes_) == set(KINDS)


def test_the_packaged_model_is_trained_once_when_two_threads_ask(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    trained: list[object] = []
    real = kind_model.train

    def slow_train(examples: Sequence[Example]) -> object:
        time.sleep(0.2)  # the second thread asks while the first trains
        model = real(examples)
        trained.append(model)
        return model

    monkeypatch.setattr(kind_model, "train", slow_train)
    kind_model._trained_packaged.cache_clear()
    try:
        got: list[object] = []
        threads = [threading.Thread(target=lambda: got.append(kind_model._packaged()))]
        threads.append(threading.Thread(target=kind_model.warm))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(trained) == 1
        assert got == trained
    finally:
        kind_model._trained_packaged.cache_clear()


def test_labelled_lines_are_read_with_their_line_number_on_error() -> None:
    good = ['{"title": "T", "text": "x", "language": "en", "kind": "news"}', ""]
    assert read_examples(good) == [Example("T", "x", "en", "news")]
    with pytest.raises(ValueError, match="line 2"):
        read_examples([good[0], '{"title": "no kind"}'])


def test_the_packaged_training_texts_are_the_labelled_sets_train_part() -> None:
    """The model is rebuilt from committed data: tools/kinds_train.py would write the same."""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, str(root / "tools" / "kinds_train.py"), "--check"], check=False
    )
    assert done.returncode == 0, "run tools/kinds_train.py: the packaged texts are stale"
