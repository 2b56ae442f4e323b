"""`--export-reply`: the reply mail to each patch of a file, with the review comments kept for it."""

from __future__ import annotations

from pathlib import Path

from gitvoice.core.errors import GitVoiceError
from gitvoice.review.comments import CommentStore
from gitvoice.review.reply import reply_mail
from gitvoice.review.series import patch_key, patch_messages
from gitvoice.review.spoken import author_line


def export_reply(patch: Path, store: CommentStore) -> tuple[str, int]:
    """The reply to every patch in `patch` (one mail each, as an mbox), and how many comments it holds."""
    if not patch.is_file():
        raise GitVoiceError(f"{patch}: not a patch file", hint="give one file written by `git format-patch`")
    replies = []
    count = 0
    reviewer = author_line(store.cwd)
    for message in patch_messages(patch):
        if message.is_cover_letter:
            continue
        comments = store.comments(patch_key(message, store.cwd))
        count += len(comments)
        replies.append(reply_mail(message.text, comments, reviewer=reviewer))
    if not replies:
        raise GitVoiceError(f"{patch}: holds no patch to answer (only a cover letter)")
    return "\n".join(replies), count
