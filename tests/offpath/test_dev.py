"""Every turn of the off-path dev cases is understood (tests/offpath/README.md).

The held-out file is only measured (`make evaluate`), never asserted on here.
"""

from __future__ import annotations

import pytest

from tests.offpath.runner import DEV, DEV_FILES, HELDOUT_FILES, load, run


@pytest.mark.parametrize("path", DEV_FILES, ids=[path.name for path in DEV_FILES])
def test_every_dev_turn_is_understood(path):
    score = run(path)
    failed = [
        f"{r.case}[{r.index}] {r.say!r}: {'; '.join(r.failures)}" for r in score.results if not r.understood
    ]
    assert not failed, "\n".join(failed)
    assert score.silent == 0


def test_the_dev_file_is_large_and_varied_enough():
    cases = load(DEV)
    turns = sum(len(case["turns"]) for case in cases)
    categories = {case["category"] for case in cases}
    assert turns >= 200 and len(categories) >= 12


@pytest.mark.parametrize("path", HELDOUT_FILES, ids=[path.name for path in HELDOUT_FILES])
def test_the_held_out_files_are_separate_and_large_enough(path):
    held_out = load(path)
    assert sum(len(case["turns"]) for case in held_out) >= 80

    # Short answers ("3", "geen", "nope") are bound to recur; sentences must not.
    def sentences(cases):
        return {turn["say"] for case in cases for turn in case["turns"] if len(str(turn["say"]).split()) >= 4}

    assert not sentences([case for dev in DEV_FILES for case in load(dev)]) & sentences(held_out)
