"""Rich rendering of a scenario for ``finsim scenario show``.

Scenario text is shown as :class:`~rich.text.Text`, never parsed as Rich markup: a
teacher's "[注]" or "[/b]" must print as written.
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from finsim.cli.tables import new_table
from finsim.i18n import tr
from finsim.scenario.models import Scenario
from finsim.vocabulary import objection_kind_name


def render_scenario(console: Console, scenario: Scenario) -> None:
    """Print persona, products, steps with key points, objections and the decision rule."""
    heading = f"{scenario.summary}\n\n{tr('流程', 'Process')}：{scenario.process}"
    console.print(Panel(Text(heading), title=Text(f"{scenario.title}（{scenario.id}）")))
    console.print(_persona_panel(scenario))
    console.print(_products_table(scenario))
    console.print(_steps_table(scenario))
    console.print(_objections_table(scenario))
    console.print(_decision_panel(scenario))


def _row(table: Table, *cells: str) -> None:
    table.add_row(*(Text(cell) for cell in cells))


def _persona_panel(scenario: Scenario) -> Panel:
    p = scenario.persona
    pr = p.profile
    who = [pr.name, tr(f"{pr.age}岁", f"{pr.age}"), pr.gender, pr.occupation]
    lines = [
        tr("，", ", ").join(part for part in who if part),
        f"{tr('家庭', 'Family')}：{pr.family}",
        f"{tr('收入', 'Income')}：{pr.income}；{tr('资产', 'Assets')}：{pr.assets}；"
        f"{tr('负债', 'Liabilities')}：{pr.liabilities}",
        f"{tr('风险等级', 'Risk level')}：{p.risk_level}；{tr('期限', 'Horizon')}：{p.horizon}；"
        f"{tr('经验', 'Experience')}：{p.experience}",
        f"{tr('目标', 'Goals')}：{'；'.join(p.goals)}",
        f"{tr('性格', 'Temperament')}：{p.temperament}；"
        f"{tr('初始信任', 'Starting trust')}：{p.starting_trust}",
    ]
    facts = Table(show_header=True, box=None)
    facts.add_column(tr("隐藏事实", "Hidden fact"))
    facts.add_column(tr("揭示意图", "Revealed by"))
    facts.add_column(tr("敏感", "Sensitive"))
    for fact in p.facts:
        mark = "✓" if fact.sensitive else ""
        _row(facts, f"{fact.topic}：{fact.text}", ", ".join(fact.revealed_by), mark)
    return Panel(Group(Text("\n".join(lines)), facts), title=tr("客户画像", "Persona"))


def _products_table(scenario: Scenario) -> Table:
    table = new_table(
        tr("产品", "Products"),
        tr("编号", "id"),
        tr("名称", "name"),
        tr("类型", "kind"),
        tr("风险", "risk"),
        tr("保本", "guaranteed"),
        tr("费用", "fees"),
    )
    for p in scenario.products:
        guaranteed = "✓" if p.guaranteed else "✗"
        _row(table, p.id, p.name, p.kind, p.risk, guaranteed, p.fees)
    return table


def _steps_table(scenario: Scenario) -> Table:
    table = new_table(
        tr("步骤与要点", "Steps and key points"),
        "#",
        tr("步骤", "Step"),
        tr("目标", "Objective"),
        tr("要点", "Key points"),
    )
    for n, step in enumerate(scenario.steps, 1):
        points = "\n".join(f"• {k.text}" for k in step.key_points)
        _row(table, str(n), f"{step.name}\n({step.id})", step.objective, points)
    return table


def _objections_table(scenario: Scenario) -> Table:
    table = new_table(
        tr("异议", "Objections"),
        tr("类型", "kind"),
        tr("步骤", "step"),
        tr("客户原话", "words"),
        tr("化解方式", "resolved by"),
    )
    for o in scenario.persona.objections:
        kind = objection_kind_name(o.kind)
        _row(table, kind, o.step, o.text, ", ".join(o.resolved_by))
    return table


def _decision_panel(scenario: Scenario) -> Panel:
    rule = scenario.persona.decision
    product = scenario.product(rule.product).name
    text = tr(
        f"成交产品：{product}；信任度 ≥ {rule.min_trust}；"
        f"必须出现：{'、'.join(rule.required_intents) or '无'}；"
        f"必须了解：{'、'.join(rule.required_facts) or '无'}",
        f"Product: {product}; trust ≥ {rule.min_trust}; "
        f"required intents: {', '.join(rule.required_intents) or 'none'}; "
        f"required facts: {', '.join(rule.required_facts) or 'none'}",
    )
    return Panel(Text(text), title=tr("成交规则", "Decision rule"))
