"""Our scheduler, in real Chromium, against the reference FSRS implementation (the Python package ``fsrs``).

The review page replays each card's log of reviews through its own FSRS-6 code: a small port that must
give what the reference gives, review after review. Same parameters (the defaults), same learning steps
(1 and 10 minutes) and relearning step (10 minutes), no fuzz.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card, Rating, Scheduler

pytestmark = pytest.mark.browser

HISTORIES = 300
DAY_MS = 86_400_000


def histories(seed: int = 2026) -> list[list[dict[str, float]]]:
    """Random grade histories, each review with what the reference says of the card after it.

    Reviews come on time, early, late, minutes apart (learning steps) or weeks late, so every state
    and branch is reached: new, learning, review, relearning, short-term reviews on the same day.
    """
    rng = random.Random(seed)
    scheduler = Scheduler(enable_fuzzing=False)
    out = []
    for _ in range(HISTORIES):
        when = datetime(2026, 1, 1, 8, tzinfo=UTC) + timedelta(minutes=rng.randrange(100_000))
        card, reviews = Card(), []
        for _ in range(rng.randint(1, 20)):
            grade = rng.choice([1, 2, 3, 3, 3, 4, 1])
            card, _ = scheduler.review_card(card, Rating(grade), when)
            reviews.append(
                {
                    "t": int(when.timestamp() * 1000),
                    "g": grade,
                    "due": int(card.due.timestamp() * 1000),
                    "s": card.stability,
                    "d": card.difficulty,
                    "state": int(card.state),
                }
            )
            kind, wait = rng.random(), card.due - when
            if kind < 0.3:
                when = card.due
            elif kind < 0.5:
                when += timedelta(minutes=rng.randrange(1, 30))
            elif kind < 0.8:
                when += wait * rng.uniform(0.2, 3.0)
            else:
                when += timedelta(days=rng.randrange(0, 60), minutes=rng.randrange(0, 1440))
            when = when.replace(microsecond=when.microsecond // 1000 * 1000)  # the browser keeps milliseconds
        out.append(reviews)
    return out


REPLAY = """histories => new Promise(done => sg.need(app => done(histories.map(reviews => {
  const steps = [];
  let card = app.replay([]);
  for (const r of reviews) {
    card = app.next(card, r.t, r.g);
    steps.push({due: card.due, s: card.s, d: card.d, state: card.state});
  }
  const whole = app.replay(reviews.map(r => [r.t, r.g]).reverse());  // the log, in any order
  return {steps, whole: {due: whole.due, s: whole.s, d: whole.d, state: whole.state}};
}))))"""


def test_scheduler_equals_the_reference_on_random_histories(page, seed_url: str) -> None:
    cases = histories()
    assert len(cases) >= 200 and {r["state"] for h in cases for r in h} == {1, 2, 3}
    page.goto(seed_url + "/review/")
    page.wait_for_function("!!(window.sg && window.sg.need)")
    ours = page.evaluate(REPLAY, cases)
    compared = 0
    for number, (reference, mine) in enumerate(zip(cases, ours, strict=True)):
        for step, (ref, got) in enumerate(zip(reference, mine["steps"], strict=True)):
            where = f"history {number}, review {step + 1}"
            assert got["state"] == ref["state"], where
            assert (got["due"] - ref["t"]) // DAY_MS == (ref["due"] - ref["t"]) // DAY_MS, where  # the interval, to the day
            assert got["due"] == ref["due"], where  # and to the millisecond
            assert got["s"] == pytest.approx(ref["s"], abs=1e-6), where
            assert got["d"] == pytest.approx(ref["d"], abs=1e-6), where
            compared += 1
        last = reference[-1]
        assert mine["whole"]["due"] == last["due"] and mine["whole"]["state"] == last["state"]
        assert mine["whole"]["s"] == pytest.approx(last["s"], abs=1e-6)
    assert compared > 1000
