"""`git voice devices`: the microphones and speakers gitvoice can use, with the defaults marked."""

from __future__ import annotations

import click

from gitvoice.audio.devices import SoundDevice, list_devices


def _device_line(device: SoundDevice, is_default: bool, channels: int) -> str:
    mark = "*" if is_default else " "
    return (f"  {mark} {device.index:>2}  {device.name}  ({device.host_api}, {channels} ch, "
            f"{device.default_rate_hz:g} Hz)")


@click.command()
def devices() -> None:
    """List input (recording) and output (playback) devices; * marks the defaults.

    Pick a microphone with `--input-device NAME|INDEX` or `git config voice.inputDevice NAME`.
    """
    found = list_devices()
    inputs = [d for d in found if d.max_input_channels > 0]
    outputs = [d for d in found if d.max_output_channels > 0]
    click.echo("Input devices:")
    for device in inputs:
        click.echo(_device_line(device, device.is_default_input, device.max_input_channels))
    if not inputs:
        click.echo("    (none)")
    click.echo("Output devices:")
    for device in outputs:
        click.echo(_device_line(device, device.is_default_output, device.max_output_channels))
    if not outputs:
        click.echo("    (none)")
    if not inputs:
        click.echo("hint: no microphone found; check the sound server with `pactl info`, "
                   "or give recordings with --audio FILE", err=True)
