"""`git voice config`: every voice.* setting in effect, and where each value came from."""

from __future__ import annotations

import json

import click


@click.command("config")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per setting: key, env, value, source.")
def config(as_json: bool) -> None:
    """List every voice.* setting with the value in effect and where it came from.

    Each setting resolves in one order: the command's flag, then the environment variable, then git config
    (repository, global, system), then the default. Set one with `git config voice.KEY VALUE`.
    """
    from gitvoice.config.settings import effective_settings

    resolved = effective_settings()
    if as_json:
        for item in resolved:
            click.echo(json.dumps({"key": item.setting.git_key, "env": item.setting.env, "value": item.value,
                                   "source": item.source, "help": item.setting.help}))
        return
    width = max(len(item.setting.git_key) for item in resolved)
    for item in resolved:
        value = item.value if item.value else "(empty)"
        click.echo(f"{item.setting.git_key:<{width}}  {value:<10}  {item.source:<22}  {item.setting.help}")
