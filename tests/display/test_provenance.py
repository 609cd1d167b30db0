"""Provenance: the commit of a checkout (and whether it has changes), input digests."""

from __future__ import annotations

import hashlib
import shutil
import subprocess

import pytest

from gametheory.display.provenance import collect_provenance, git_commit, sha256_file


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_git_commit_of_a_checkout_and_of_a_plain_folder(tmp_path):
    assert git_commit(tmp_path) is None
    run = lambda *a: subprocess.run(["git", "-C", str(tmp_path), *a], check=True,  # noqa: E731
                                    capture_output=True)
    run("init", "-q")
    (tmp_path / "f.txt").write_text("a")
    run("add", "f.txt")
    run("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "x")
    head = subprocess.run(["git", "-C", str(tmp_path), "rev-parse", "HEAD"],
                          capture_output=True, text=True).stdout.strip()
    assert git_commit(tmp_path) == {"commit": head, "dirty": False}
    (tmp_path / "f.txt").write_text("b")
    assert git_commit(tmp_path)["dirty"] is True


def test_inputs_are_digested(tmp_path):
    (tmp_path / "events.csv").write_text("id\n1\n")
    (tmp_path / "notes.md").write_text("not an input")
    p = collect_provenance(model="mine", model_dir=tmp_path, seeds={"x": 1},
                           command=["gametheory", "analyze", "mine"])
    assert p["inputs_sha256"] == {
        "events.csv": hashlib.sha256(b"id\n1\n").hexdigest()}
    assert p["command"] == ["gametheory", "analyze", "mine"] and p["seeds"] == {"x": 1}
    assert sha256_file(tmp_path / "missing") is None
