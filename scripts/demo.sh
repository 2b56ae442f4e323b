#!/usr/bin/env bash
# Sets up a fresh clone, then runs the main job on the embedded default: a scratch repository with a
# staged change, and the bundled sample recording turned into a commit by `git voice`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
sample=$(python -c 'from gitvoice.cli.doctor import bundled_sample; print(bundled_sample())')
scratch=$(mktemp -d "${TMPDIR:-/tmp}/gitvoice-demo.XXXXXX")
cd "$scratch"
git init -q -b main .
git config user.name "${GIT_AUTHOR_NAME:-gitvoice demo}"
git config user.email "${GIT_AUTHOR_EMAIL:-demo@example.invalid}"
mkdir -p api
printf 'def getUserById(user_id):\n    return USERS[user_id]\n\n\ndef show(user_id):\n    return render(getUserById(user_id))\n' > api/users.py
git add api/users.py && git commit -q -m "feat(api): add user lookup"
printf 'def fetch_user(user_id):\n    return USERS[user_id]\n\n\ndef show(user_id):\n    return render(fetch_user(user_id))\n' > api/users.py
git add api/users.py
echo "== scratch repository: $scratch (staged: api/users.py)"
echo "== git voice commit --audio $sample --no-edit"
git voice commit --audio "$sample" --no-edit
echo "== git log -1 --notes=voice"
git log -1 --notes=voice
