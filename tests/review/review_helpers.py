"""A small series to review (three commits, two with spoken notes), and the review server running on it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from support import Clip, git

from gitvoice.review.comments import CommentStore
from gitvoice.review.series import load_series
from gitvoice.review.server import ReviewApp, ReviewServer

WEBHOOK_V1 = '''def handle_webhook(request):
    """Answer a delivery from the payment provider."""
    response = dispatch(request.body)
    return response.status
'''
WEBHOOK_V2 = '''import logging

log = logging.getLogger(__name__)


def handle_webhook(request):
    """Answer a delivery from the payment provider."""
    response = dispatch(request.body)
    if response is None:
        log.warning("no response for %s", request.request_id)
        return 502
    return response.status
'''
HOSTILE_SUBJECT = "docs: explain <script>alert('subject')</script> in the README"


def three_commit_series(repo: Path, note_clips: list[Clip]) -> str:
    """Three commits on top of `repo`'s first; the first two carry voice notes with the clips' audio.
    Returns the range."""
    from gitvoice.audio.encode import encode_for_note
    from gitvoice.audio.files import read_audio
    from gitvoice.git.notes import write_voice_note

    (repo / "webhook.py").write_text(WEBHOOK_V1)
    git(repo, "add", "webhook.py")
    git(repo, "commit", "-q", "-m", "feat(webhook): answer payment deliveries",
        "-m", "The provider retries for a day when we do not answer.")
    (repo / "webhook.py").write_text(WEBHOOK_V2)
    git(repo, "commit", "-q", "-am", "fix(webhook): answer 502 when dispatch returns nothing")
    (repo / "README.md").write_text("# demo\n\nWebhooks: <img src=x onerror=alert('readme')>\n")
    git(repo, "commit", "-q", "-am", HOSTILE_SUBJECT, "-m", "Body with <b>markup</b> & an <iframe>.")
    for rev, clip in zip(("HEAD~2", "HEAD~1"), note_clips, strict=True):
        audio, _ = encode_for_note(read_audio(clip.path))
        write_voice_note(git(repo, "rev-parse", rev).strip(), clip.text, audio, repo)
    return "HEAD~3..HEAD"


@contextmanager
def running_review(targets: list[str], repo: Path, *, readback: bool = False) -> Iterator[ReviewServer]:
    from gitvoice.review.server import readback_synthesizer

    series = load_series(targets, repo)
    app = ReviewApp(series, CommentStore(repo), synthesize=readback_synthesizer(repo) if readback else None)
    server = ReviewServer(app)
    server.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
