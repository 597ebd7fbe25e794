import pytest
from cmo_members.assessments.domain import (
    Assessment,
    AssessmentClosed,
    InvalidAnswer,
    NeedRule,
    Question,
    new_needs,
)


def _assessment() -> Assessment:
    return Assessment(
        assessment_id="a1",
        period="2026",
        title="Needs 2026",
        version=1,
        questions=[
            Question(
                "jars",
                "number",
                "Glass jars next year?",
                required=True,
                need=NeedRule("procurement", "glass jars", "pieces"),
            ),
            Question(
                "trainings",
                "multi_choice",
                "Which trainings?",
                options=("HACCP", "ISO 22000", "Export"),
                need=NeedRule("training"),
            ),
            Question("erp", "choice", "Do you use an ERP?", options=("yes", "no")),
            Question("notes", "text", "Anything else?"),
        ],
    )


def test_answers_state_needs_with_kind_category_quantity_and_unit() -> None:
    needs = _assessment().needs(
        "m1", {"jars": 5000, "trainings": ["HACCP", "Export"], "erp": "no", "notes": "x"}
    )
    assert [(n.kind, n.category, n.quantity, n.unit) for n in needs] == [
        ("procurement", "glass jars", 5000, "pieces"),
        ("training", "HACCP", None, None),
        ("training", "Export", None, None),
    ]
    assert {n.member_id for n in needs} == {"m1"} and {n.period for n in needs} == {"2026"}


def test_zero_quantity_states_no_need() -> None:
    assert _assessment().needs("m1", {"jars": 0}) == []


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"jars": -1}, "answers.jars"),
        ({"jars": "many"}, "answers.jars"),
        ({"jars": 1, "erp": "maybe"}, "answers.erp"),
        ({"jars": 1, "trainings": ["Cooking"]}, "answers.trainings"),
        ({"jars": 1, "unknown": 1}, "answers.unknown"),
        ({"erp": "yes"}, "answers.jars"),
    ],
)
def test_invalid_answers_name_the_question(answers: dict, field: str) -> None:
    with pytest.raises(InvalidAnswer) as refused:
        _assessment().validate(answers)
    assert refused.value.field == field


def test_closed_assessments_take_no_answers() -> None:
    assessment = _assessment()
    assessment.status = "closed"
    with pytest.raises(AssessmentClosed):
        assessment.validate({"jars": 1})


def test_a_replacement_emits_only_needs_not_stated_before() -> None:
    assessment = _assessment()
    before = assessment.needs("m1", {"jars": 100, "trainings": ["HACCP"]})
    after = assessment.needs("m1", {"jars": 200, "trainings": ["HACCP", "Export"]})
    assert [(n.category, n.quantity) for n in new_needs(before, after)] == [
        ("glass jars", 200),
        ("Export", None),
    ]
