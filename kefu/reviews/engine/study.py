"""How well the severity rules pick out the reviews that need follow-up, measured on a labelled
set of review texts (label 0 = negative). Pure: no Django."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kefu.reviews.engine.severity import DEFAULT_RULES, SeverityRule, grade


@dataclass(frozen=True)
class Study:
    true_positive: int
    false_positive: int
    false_negative: int
    true_negative: int

    @property
    def precision(self) -> float:
        flagged = self.true_positive + self.false_positive
        return self.true_positive / flagged if flagged else 0.0

    @property
    def recall(self) -> float:
        negatives = self.true_positive + self.false_negative
        return self.true_positive / negatives if negatives else 0.0


def measure(
    rows: Iterable[tuple[str, bool]], rules: Sequence[SeverityRule] = DEFAULT_RULES
) -> Study:
    """`rows` are (text, is_negative). The rating is unknown (text only), as in the data set."""
    tp = fp = fn = tn = 0
    for text, negative in rows:
        flagged = grade(rating=None, texts=[text], rules=rules).needs_follow_up
        if flagged and negative:
            tp += 1
        elif flagged:
            fp += 1
        elif negative:
            fn += 1
        else:
            tn += 1
    return Study(tp, fp, fn, tn)


def read_labelled_csv(path: Path) -> list[tuple[str, bool]]:
    """The online_shopping_10_cats file: `cat,label,review`, label 0 negative, 1 positive."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [(row["review"], row["label"].strip() == "0") for row in csv.DictReader(handle)]
