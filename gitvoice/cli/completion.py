"""`git voice completion bash|zsh|fish`: a script that completes `git-voice` and, through git's own bash and zsh
completion, `git voice <TAB>` (git calls a `_git_voice` function for the `voice` subcommand when one exists)."""

from __future__ import annotations

import click

COMPLETE_VAR = "_GIT_VOICE_COMPLETE"  # what click reads to answer completion requests (see cli/main.py)

# git's completion (contrib/completion/git-completion.bash, also sourced by its zsh wrapper) calls
# _git_voice with `words` and `cword` for `git voice ...`: ask git-voice itself, as for `git-voice ...`.
GIT_SUBCOMMAND_BASH = r'''
_git_voice() {
    local IFS=$'\n' response completion type value
    response=$(env COMP_WORDS="git-voice ${words[*]:2}" COMP_CWORD=$((cword - 1)) \
        _GIT_VOICE_COMPLETE=bash_complete git-voice 2>/dev/null)
    for completion in $response; do
        IFS=',' read -r type value <<< "$completion"
        if [[ $type == 'plain' ]]; then
            COMPREPLY+=("$value")
        elif [[ $type == 'file' || $type == 'dir' ]]; then
            __git_complete_file 2>/dev/null || COMPREPLY+=($(compgen -f -- "${words[cword]}"))
        fi
    done
}
'''


@click.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
@click.pass_context
def completion(ctx: click.Context, shell: str) -> None:
    """Print the completion script for SHELL. Enable it in bash with

        eval "$(git voice completion bash)"    # in ~/.bashrc, after git's own completion

    zsh: `eval "$(git voice completion zsh)"` in ~/.zshrc; fish: `git voice completion fish >
    ~/.config/fish/completions/git-voice.fish`. Both `git-voice <TAB>` and `git voice <TAB>` then complete
    subcommands and options.
    """
    from click.shell_completion import get_completion_class

    root = ctx.find_root().command
    shell_class = get_completion_class(shell)
    assert shell_class is not None  # click knows all three
    script = shell_class(root, {}, "git-voice", COMPLETE_VAR).source()
    click.echo(script)
    if shell in ("bash", "zsh"):
        click.echo(GIT_SUBCOMMAND_BASH)
