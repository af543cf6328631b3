"""Notes written in each shape learners use: the structure read back, and every word kept."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from study_guide.core.model import Questionnaire, Severity
from study_guide.core.parse import read_note

from .lossless import missing_words

NOTES = Path(__file__).parent / "fixtures" / "notes"


@dataclass(frozen=True)
class Expected:
    family: str
    questions: list[tuple[str, str, str]]  # (id, question, start of the answer)
    notes: int = 0  # lines the parser should say it was unsure about


EXPECTED = {
    "quoted-question": Expected(
        "quoted",
        [
            ("q-1", "What is a validation set?", "The part of the data"),
            ("q-2", "Why do we need a test set when we already have a validation set?", "Because we tune"),
            ("q-3", "What is overfitting?", "Memorising"),
        ],
    ),
    "bold-numbered": Expected(
        "numbered",
        [
            ("q-1", "Do you need lots of maths for deep learning?", "No: high school"),
            ("q-2", "What is a GPU?", "A graphics card"),
            ("q-3", "What is a pretrained model?", "A model already"),
            ("q-4", "What does fine_tune do?", "It trains the new head"),
        ],
    ),
    "bold-unnumbered": Expected(
        "bold",
        [
            ("q-1", "What is a metric?", "A number people read"),
            ("q-2", "How does it differ from the loss?", "The loss is"),
            ("q-3", "Explain transfer learning", "Start from a model"),
        ],
    ),
    "qa-pairs": Expected(
        "qa",
        [
            ("q-1", "What is segmentation?", "**A:** Classifying"),
            ("q-2", "What is y_range for?", "**A:** Limiting the predictions of a regression\nto a known range"),
            ("q-3", "What is a DataBlock?", "A: A recipe"),
            ("q-4", "What are hyperparameters?", "**A2.** Choices"),
        ],
    ),
    "indented-bullets": Expected(
        "numbered",
        [
            (
                "q-1",
                "What is a neural network?",
                "- A flexible function\n- made of layers\n    * each with weights\n        + deeply",
            ),
            ("q-2", "Name two kinds of layers.", "- linear\n- non-linear (ReLU)"),
            ("q-3", "What does the head of a model do?", "- It maps features"),
        ],
    ),
    "paragraphs": Expected(
        "numbered",
        [
            ("q-1", "Why is it hard to write a program that recognises images?", "Because nobody can"),
            ("q-2", "What did Arthur Samuel propose?", "Let the computer"),
        ],
    ),
    "lazy-answers": Expected(
        "numbered",
        [
            ("q-1", "What is a feedback loop?", "A model's predictions"),
            ("q-2", "What is a label?", "The answer we want"),
            ("q-3", "What is an epoch?", "One pass"),
        ],
    ),
    "answer-labels": Expected(
        "numbered",
        [
            ("q-1", "What is a loss function?", "Ans: A function"),
            ("q-2", "What is SGD?", "Answer: Stochastic"),
            ("q-3", "What is a learning rate?", "**Answer:** How big"),
        ],
    ),
    "headings": Expected(
        "heading",
        [
            ("q-1", "What is machine learning?", "Programs that learn from examples instead of rules.\n\n### An aside"),
            ("q-2", "What is a model?", "A mathematical function"),
            ("q-3", "What is an architecture?", "The template of the model."),
        ],
    ),
    "setext-rule": Expected(
        "numbered",
        [
            ("q-1", "What is inference?", "Using a trained model"),
            ("q-2", "What is a baseline?", "A simple model"),
            ("q-3", "What is a confusion matrix?", "A table of predictions"),
        ],
    ),
    "all-ones": Expected(
        "numbered",
        [
            ("q-1", "What is tabular data?", "Data in tables"),
            ("q-2", "What is collaborative filtering?", "Recommending items"),
            ("q-3", "What does untar_data do?", "Downloads and extracts"),
        ],
    ),
    "gaps-repeats": Expected(
        "numbered",
        [
            ("q-1", "What is the first question?", "First."),
            ("q-2", "What is the second question?", "Second."),
            ("q-3", "Why does the numbering jump?", "The learner skipped"),
            ("q-4", "Why is five used twice?", "A typo"),
        ],
        notes=1,
    ),
    "wrapped": Expected(
        "numbered",
        [
            (
                "q-1",
                "What is the name of the theorem that a neural network can solve any mathematical problem"
                " to any level of accuracy?",
                "The universal approximation theorem.",
            ),
            ("q-2", "Draw a picture that summarizes Arthur Samuel's view of a machine learning model", "It is a loop"),
            ("q-3", "Why use a pretrained model?", "Because it already knows"),
        ],
    ),
    "html-answers": Expected(
        "numbered",
        [
            ("q-1", "What is a GPU?", '<span style="color: red">A graphics'),
            ("q-2", "What is a CPU?", "<p>The general-purpose"),
            ("q-3", "What is an admonition?", '<div class="admonition note">'),
        ],
    ),
    "callouts": Expected(
        "callout",
        [
            ("q-1", "What is deep learning?", "Learning with neural networks of many layers.\n\nIt needs data"),
            ("q-2", "What is a tensor?", "An array"),
            ("q-3", "Why is a GPU fast?", "It runs thousands"),
        ],
    ),
    "code-and-math": Expected(
        "numbered",
        [
            ("q-1", "How do you train a vision model in fastai?", "```python\nlearn = vision_learner"),
            ("q-2", "What is the formula of a linear layer?", "- It computes $y = Wx + b$"),
            ("q-3", "Show a sample batch.", "![batch of birds](batch.png)\n\n$$"),
        ],
    ),
    "further-research": Expected(
        "numbered",
        [
            ("q-1", "What is a GPU?", "A graphics card."),
            ("q-2", "What is a CPU?", "The main processor."),
            ("fr-1", "Why is a GPU useful for deep learning?", "Deep learning is"),
            ("fr-2", "What is a feedback loop?", "When a model"),
        ],
    ),
    "placeholders": Expected(
        "numbered",
        [
            ("q-1", "What is a GPU?", "NA"),
            ("q-2", "What is a TPU?", "[Answer here]"),
            ("q-3", "What is an NPU?", "TODO"),
            ("q-4", "What is an FPGA?", "-"),
            ("q-5", "What is a CPU?", "The main processor."),
        ],
    ),
    "html-admonitions": Expected(
        "html",
        [
            ("q-1", "What is a tensor?", "<p>A multi-dimensional array"),
            ("q-2", "How does a GPU speed up training?", "<p>It runs thousands of small operations at once.<br>"),
            ("q-3", "Draw the training loop.", '<p><img src="loop.png"'),
            ("q-4", "What are the steps of SGD?", "<ol><li>Initialise the weights.</li>"),
            ("q-5", "What does the learning rate finder plot?", "<p></p>"),
            ("q-6", "Why keep a validation set?", "<p>To measure the model"),
            ("fr-1", "Write your own optimiser class.", "<p>See my notebook <code>"),
            ("fr-2", "How does momentum change each step?", "<p></p>"),
        ],
    ),
    "bullet-questions": Expected(
        "bullets",
        [
            ("q-1", "What is a latent factor?", "* A learned number that describes a user or a movie.\n* Nobody"),
            ("q-2", "Why does a dot product suit recommendations?", "1. Each user and each movie get a vector."),
            ("q-3", "How do you keep predictions inside a range?", "> Pass them through a sigmoid"),
            ("q-4", "Rewrite the `DotProduct` class with a bias per user and per movie.", "```python\nclass DotProductBias"),
            ("q-5", "What does weight decay add to the loss?", "```python\nloss_with_wd = loss"),
            ("q-6", "What is an embedding?", "- An index into a matrix"),
            ("q-7", "How would you pick the number of factors?", ""),
        ],
    ),
    "plain-lines": Expected(
        "plain",
        [
            ("q-1", "What is a convolution?", "- A small matrix slid over the image.\n- Each output"),
            ("q-2", "Why do we pad the input", "- To keep the output"),
            ("q-3", "What is a stride?", ""),
            ("q-4", "How does a pooling layer shrink the activations?", ""),
            ("q-5", "Which layer replaced pooling in recent models?", ""),
            ("q-6", "What does a 1x1 convolution do?", "- It mixes channels"),
            ("q-7", "Describe batch normalisation", "- Normalise each channel over the batch.\n- Then scale"),
        ],
        notes=3,  # the reading is a guess; two questions do not end with '?'
    ),
    "heading-imperatives": Expected(
        "heading",
        [
            ("q-1", "What is the rank of a tensor?", "The number of axes it has."),
            ("q-2", "Rewrite the `DotProduct` class", "```python\nclass DotProduct(Module):"),
            ("q-3", "Create a function that returns the sigmoid of a tensor", "```python\ndef sigmoid(x)"),
            ("q-4", "Train a classifier on your own photos", "I used 150 pictures"),
            ("q-5", "Why do we need non-linearities?", "Without them"),
            ("q-6", "Plot the loss against the learning rate", "![loss against learning rate](lr_find.png)"),
        ],
        notes=1,  # 'Train a classifier…' is a question because it stands where questions stand
    ),
    "bold-after-intro": Expected(
        "bold",
        [
            ("q-1", "What is self-supervised learning?", "Training a model with labels"),
            ("q-2", "What is a language model?", "A model that predicts the next word of a text."),
            ("q-3", "Why fine-tune the language model before the classifier?", "So that it knows"),
            ("q-4", "What is tokenization?", "Splitting text"),
            ("q-5", "Explain numericalization", "Replacing each token"),
        ],
    ),
    "pandoc-export": Expected(
        "numbered",
        [
            ("q-1", "What is a continuous variable?", "A numeric variable, such as age, that can take any value in a\nrange."),
            ("q-2", "What is a categorical variable?", "One that takes values from a fixed set, such as \\*weekday\\*."),
            ("q-3", "What does \\*entity embedding\\* mean for a categorical variable?", "Each level gets a learned vector"),
            ("q-4", "Why does a random forest not need \\_normalised\\_ inputs?", "Trees split on thresholds"),
            ("fr-1", "Which columns of the Bulldozers data matter most?", "YearMade and ProductSize"),
            ("fr-2", "What is boosting?", ""),
        ],
    ),
    "inline-fences": Expected(
        "numbered",
        [
            ("q-1", "How do you subtract two tensors?", "```pythonCopyresult = a - b```"),
            ("q-2", "How do you multiply them element-wise?", "```pythonCopyresult = a * b```\nThe shapes must broadcast."),
            ("q-3", "What does `a @ b` compute?", "The matrix product."),
            ("q-4", "Show a fence indented under a list.", "- A list item holds code:\n\n    ```python"),
            ("q-5", "What is a code span that runs over two lines?", "Like `this <div>\none` which stays code."),
        ],
    ),
    "mixed-shapes": Expected(
        "numbered",
        [
            ("q-1", "What is a GPU?", "A graphics card."),
            ("q-2", "What is a CPU?", "The main processor.\n\n**What is a TPU?**"),
            ("q-3", "What is an NPU?", "A phone's chip"),
            ("q-4", "What is a cache?", "Small, fast memory"),
        ],
        notes=2,  # the bold question and the heading question, listed for check
    ),
    "windows-invisible": Expected(
        "numbered",
        [
            ("q-1", "What is a softhyphen?", "An invisible hint"),
            ("q-2", "What is a zerowidth space?", "A character that shows nothing at all \\*really\\*."),
            ("q-3", "Does this file use Windows line endings?", "Yes."),
        ],
    ),
}


def test_every_fixture_has_an_expectation() -> None:
    assert sorted(p.stem for p in NOTES.glob("*.md")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_structure(name: str) -> None:
    expected = EXPECTED[name]
    lesson = read_note(NOTES / f"{name}.md")
    assert lesson.family == expected.family
    got = [(q.anchor, q.text, q.answer) for q in lesson.questions]
    assert [(a, t) for a, t, _ in got] == [(a, t) for a, t, _ in expected.questions]
    for (anchor, _, answer), (_, _, start) in zip(got, expected.questions, strict=True):
        assert answer.startswith(start), anchor
    assert not [p for p in lesson.problems if p.severity is not Severity.NOTE]
    assert len([p for p in lesson.problems if p.severity is Severity.NOTE]) == expected.notes


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_word_is_kept(name: str) -> None:
    note = (NOTES / f"{name}.md").read_text(encoding="utf-8")
    assert missing_words(note) == []


def test_placeholders_are_no_answers() -> None:
    lesson = read_note(NOTES / "placeholders.md")
    assert [q.has_answer for q in lesson.questions] == [False, False, False, False, True]


def test_further_research_is_its_own_group_and_notes_stay_notes() -> None:
    lesson = read_note(NOTES / "further-research.md")
    groups = [b for b in lesson.blocks if isinstance(b, Questionnaire)]
    assert [g.title for g in groups] == [None, "Further research"]
    prose = "\n".join(b.text for b in lesson.blocks if hasattr(b, "text") and not hasattr(b, "bullets"))
    assert "1. Watch the lesson again." in prose and "## Questions to ask on the forum" in prose
    assert [b.text for b in lesson.bullets] == ["Welcome to the lesson"]


def test_callout_leftover_prose_is_kept_between_questions() -> None:
    lesson = read_note(NOTES / "callouts.md")
    kinds = [type(b).__name__ for b in lesson.blocks]
    assert kinds == ["Prose", "Questionnaire", "Prose", "Questionnaire"]


def test_frontmatter_can_force_a_family(tmp_path: Path) -> None:
    note = tmp_path / "forced.md"
    note.write_text("---\nquestionnaire_format: bold\n---\n1. Not a question here\n\n**What is forced?**\n\nThis.\n")
    lesson = read_note(note)
    assert lesson.family == "bold" and [q.text for q in lesson.questions] == ["What is forced?"]


def test_unknown_forced_family_is_a_warning(tmp_path: Path) -> None:
    note = tmp_path / "forced.md"
    note.write_text("---\nquestionnaire_format: fancy\n---\n1. Q?\n\n> A\n")
    lesson = read_note(note)
    (problem,) = [p for p in lesson.problems if p.severity is Severity.WARNING]
    assert problem.line == 2 and "numbered, quoted" in problem.message
    assert lesson.family == "numbered"
