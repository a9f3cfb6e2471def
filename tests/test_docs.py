"""The README tells the truth: its example output and its JSON key list match the program."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.helpers import run

README = Path("README.md").read_text(encoding="utf-8")


def section(marker: str) -> str:
    match = re.search(rf"<!-- {marker} -->\n(.*?)<!-- /{marker} -->", README, re.S)
    assert match, marker
    return match.group(1)


def test_readme_starts_with_the_two_commands_ci_runs_the_second():
    commands = re.search(r"```bash\n(.*?)```", README, re.S).group(1).splitlines()
    assert [c.split("#")[0].strip() for c in commands] == [
        "bash scripts/samples.sh",
        "bash scripts/test.sh",
    ]
    assert "exec bash scripts/test.sh" in Path(".ci/run").read_text(encoding="utf-8")


def test_readme_example_is_the_real_output():
    block = section("calibrate-example").removeprefix("```console\n").removesuffix("```\n")
    command, _, shown = block.partition("\n")
    args = command.removeprefix("$ clausegen ").split()
    assert run(*args).stdout == shown


def test_readme_lists_every_json_key():
    result = run(
        *["calibrate", "--format", "json", "samples/groupe-scolaire-jaures/operation.yaml"]
    )
    document = json.loads(result.stdout)
    documented = section("json-keys")
    for key, value in document.items():
        assert f"`{key}`" in documented or f"`{key}[]`" in documented, key
        nested = value[0] if isinstance(value, list) and value else value
        if isinstance(nested, dict):
            for inner in nested:
                assert f"`{inner}`" in documented, f"{key}.{inner}"
