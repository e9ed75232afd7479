"""rules list / show and schema: the rule catalog and the JSON Schemas."""

from __future__ import annotations

import click

from auditor.cli.options import (
    REGIMES,
    as_paths,
    checklist_option,
    console,
    echo_json,
    lang_option,
)


@click.group()
def rules() -> None:
    """List and show the rules in force."""


@rules.command("list")
@checklist_option
@click.option(
    "--level", "level_", type=click.IntRange(1, 5), help="Only rules a level-N system must meet."
)
@click.option("--regime", type=click.Choice(REGIMES), help="Only this regime.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@lang_option
def rules_list(
    checklists: tuple[str, ...], level_: int | None, regime: str | None, fmt: str, lang: str
) -> None:
    """List rules, optionally those applying at one level."""
    from auditor.loading.catalog import load_catalog
    from auditor.model.inventory import Regime

    catalog, _ = load_catalog(as_paths(checklists))
    selected = list(catalog)
    if level_ is not None:
        selected = catalog.for_level(level_, Regime(regime) if regime else None)
    elif regime is not None:
        selected = [r for r in selected if Regime(regime) in r.regimes]
    if fmt == "json":
        data = [r.model_dump(mode="json") for r in selected]
        echo_json(data)
        return
    from auditor.report import terminal

    terminal.rules_table(selected, console(), lang, level_)


@rules.command("show")
@click.argument("rule_id")
@checklist_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="text: title, severity, legal basis, where it applies, what it checks and the "
    "remediation, in the --lang language; json: every field of the rule.",
)
@lang_option
def rules_show(rule_id: str, checklists: tuple[str, ...], fmt: str, lang: str) -> None:
    """Show one rule: readable text in the chosen language, or every field as JSON."""
    from auditor.loading.catalog import load_catalog

    catalog, _ = load_catalog(as_paths(checklists))
    rule = catalog.get(rule_id)
    if rule is None:
        raise click.BadParameter(f"no rule '{rule_id}'", param_hint="RULE_ID")
    if fmt == "json":
        echo_json(rule.model_dump(mode="json"), sort_keys=False)
        return
    from auditor.report.rule_text import rule_text

    rule_text(rule, console(), lang)


@click.command()
@click.option("--results", is_flag=True, help="The schema of the JSON results instead.")
def schema(results: bool) -> None:
    """Print the JSON Schema of inventories or results."""
    if results:
        from auditor.report.json_out import results_schema

        data = results_schema()
    else:
        from auditor.loading.inventory import InventoryFile

        data = InventoryFile.model_json_schema()
    echo_json(data)
