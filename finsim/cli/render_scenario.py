"""Rich rendering of a scenario for ``finsim scenario show``."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table

from finsim.i18n import tr
from finsim.scenario.models import OBJECTION_KIND_NAMES, Scenario


def render_scenario(console: Console, scenario: Scenario) -> None:
    """Print persona, products, steps with key points, objections and the decision rule."""
    console.print(Panel(f"{scenario.summary}\n\n{tr('流程', 'Process')}：{scenario.process}", title=f"{scenario.title}（{scenario.id}）"))
    console.print(_persona_panel(scenario))
    console.print(_products_table(scenario))
    console.print(_steps_table(scenario))
    console.print(_objections_table(scenario))
    rule = scenario.persona.decision
    console.print(
        Panel(
            tr(
                f"成交产品：{scenario.product(rule.product).name}；信任度 ≥ {rule.min_trust}；"
                f"必须出现：{'、'.join(rule.required_intents) or '无'}；必须了解：{'、'.join(rule.required_facts) or '无'}",
                f"Product: {scenario.product(rule.product).name}; trust ≥ {rule.min_trust}; "
                f"required intents: {', '.join(rule.required_intents) or 'none'}; required facts: {', '.join(rule.required_facts) or 'none'}",
            ),
            title=tr("成交规则", "Decision rule"),
        )
    )


def _persona_panel(scenario: Scenario) -> Panel:
    p = scenario.persona
    pr = p.profile
    lines = [
        f"{pr.name}，{pr.age}{tr('岁', '')} {pr.gender}，{pr.occupation}",
        f"{tr('家庭', 'Family')}：{pr.family}",
        f"{tr('收入', 'Income')}：{pr.income}；{tr('资产', 'Assets')}：{pr.assets}；{tr('负债', 'Liabilities')}：{pr.liabilities}",
        f"{tr('风险等级', 'Risk level')}：{p.risk_level}；{tr('期限', 'Horizon')}：{p.horizon}；{tr('经验', 'Experience')}：{p.experience}",
        f"{tr('目标', 'Goals')}：{'；'.join(p.goals)}",
        f"{tr('性格', 'Temperament')}：{p.temperament}；{tr('初始信任', 'Starting trust')}：{p.starting_trust}",
    ]
    facts = Table(show_header=True, box=None)
    facts.add_column(tr("隐藏事实", "Hidden fact"))
    facts.add_column(tr("揭示意图", "Revealed by"))
    facts.add_column(tr("敏感", "Sensitive"))
    for fact in p.facts:
        facts.add_row(f"{fact.topic}：{fact.text}", ", ".join(fact.revealed_by), "✓" if fact.sensitive else "")
    return Panel(Group("\n".join(lines), facts), title=tr("客户画像", "Persona"))


def _products_table(scenario: Scenario) -> Table:
    table = Table(title=tr("产品", "Products"))
    for header in (tr("编号", "id"), tr("名称", "name"), tr("类型", "kind"), tr("风险", "risk"), tr("保本", "guaranteed"), tr("费用", "fees")):
        table.add_column(header)
    for product in scenario.products:
        table.add_row(product.id, product.name, product.kind, product.risk, "✓" if product.guaranteed else "✗", product.fees)
    return table


def _steps_table(scenario: Scenario) -> Table:
    table = Table(title=tr("步骤与要点", "Steps and key points"))
    table.add_column("#")
    table.add_column(tr("步骤", "Step"))
    table.add_column(tr("目标", "Objective"))
    table.add_column(tr("要点", "Key points"))
    for n, step in enumerate(scenario.steps, 1):
        points = "\n".join(f"• {k.text}" for k in step.key_points)
        table.add_row(str(n), f"{step.name}\n({step.id})", step.objective, points)
    return table


def _objections_table(scenario: Scenario) -> Table:
    table = Table(title=tr("异议", "Objections"))
    for header in (tr("类型", "kind"), tr("步骤", "step"), tr("客户原话", "words"), tr("化解方式", "resolved by")):
        table.add_column(header)
    for o in scenario.persona.objections:
        kind = OBJECTION_KIND_NAMES[o.kind] if scenario.language == "zh" else o.kind
        table.add_row(kind, o.step, o.text, ", ".join(o.resolved_by))
    return table
