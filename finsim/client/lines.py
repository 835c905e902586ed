"""The client's built-in lines, used when a scenario does not give its own.

Each situation has a few variants per language; the engine picks one with the
drill's seed. ``{term}``, ``{product}``, ``{topic}`` and ``{names}`` are
replaced by the engine. A scenario's ``lines`` (and ``responses``) always win.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]

SITUATION_LINES: dict[Lang, dict[str, list[str]]] = {
    "zh": {
        "unrecognised": [
            "不好意思，我没太听明白，您能说得具体一点吗？",
            "您的意思是……？我没跟上，您再说一遍？",
            "嗯？您说的这个我不太懂，能换个说法吗？",
        ],
        "jargon": [
            "等一下，您说的“{term}”是什么意思？我听不太懂。",
            "“{term}”？这个词我不熟，您用大白话给我讲讲？",
            "您刚才说的“{term}”具体指什么呀？",
        ],
        "intrusive": [
            "咱们刚见面，您就问这个，不太合适吧？",
            "这是我的私事，您先说说您是做什么的吧。",
            "您问这么细干什么？我还不知道您是什么来意呢。",
        ],
        "pressure": [
            "您别催我，这么大的事我得好好想想。",
            "非得今天定？这么着急，我反而不放心了。",
            "您这么催，我心里更没底了。",
        ],
        "red_line": [
            "这话说得太满了吧？我听着有点不踏实。",
            "您这么说合适吗？我觉得不太靠谱。",
            "这种话我可不太敢信。",
        ],
        "unsuitable": [
            "{product}风险太大了，不适合我，我可不买。",
            "{product}？波动这么大，我可承受不了，算了吧。",
            "这个{product}我不考虑，我要的是稳当的。",
        ],
        "guarded": [
            "这个嘛……家里的事，以后熟了再说吧。",
            "这个我不太想多说。",
            "嗯……这事儿先不聊了吧。",
        ],
        "acknowledge": [
            "嗯，您接着说。",
            "好的，我听着呢。",
            "哦，这样啊。",
        ],
        "nothing_to_add": [
            "这方面也没什么特别的。",
            "这个嘛，还真没什么好说的。",
            "没什么特别的，就那样吧。",
        ],
        "already_told": [
            "{topic}的事我刚才说过了呀。",
            "这个刚才不是讲过了嘛，{topic}就是那样。",
        ],
        "wrong_handling": [
            "您说的不是我担心的那个问题。",
            "这跟我刚才说的不是一回事。",
            "您没听明白我的意思，我担心的不是这个。",
        ],
        "already_bought": [
            "刚才不是已经说好了嘛，就按这个办。",
            "我已经定了，您把手续给我办好就行。",
        ],
        "not_wanted": [
            "{product}就算了，我还是想要适合我自己情况的。",
            "我对{product}没什么兴趣。",
        ],
        "disclosure_requested": [
            "先别急着办。{missing}，您还没跟我讲清楚呢，讲清楚了我再定。",
            "等一下，{missing}，这些您得先跟我说明白，我才好拿主意。",
        ],
    },
    "en": {
        "unrecognised": [
            "Sorry, I didn't quite follow. Could you be more specific?",
            "You mean…? I lost you there. Could you say it again?",
            "Hmm, I don't get it. Could you put it another way?",
        ],
        "jargon": [
            "Wait, what does '{term}' mean? I don't understand.",
            "'{term}'? I don't know that word. Could you say it in plain words?",
            "What exactly do you mean by '{term}'?",
        ],
        "intrusive": [
            "We've only just met and you ask me that?",
            "That's my own business. Tell me first who you are.",
            "Why do you need to know that? I don't even know why you're here.",
        ],
        "pressure": [
            "Don't rush me. This is a big decision.",
            "Today, really? Rushing me like that makes me less sure.",
            "The more you push, the less I like it.",
        ],
        "red_line": [
            "That sounds too good to be true.",
            "Can you really say that? I don't find it convincing.",
            "I can't quite believe that.",
        ],
        "unsuitable": [
            "{product} is far too risky for me. No.",
            "{product}? I can't live with swings like that. Let's leave it.",
            "I won't consider {product}. I want something safe.",
        ],
        "guarded": [
            "Well… that's a family matter. Maybe when we know each other better.",
            "I'd rather not talk about that.",
            "Hmm… let's leave that for now.",
        ],
        "acknowledge": ["Mm, go on.", "All right, I'm listening.", "I see."],
        "nothing_to_add": [
            "Nothing special there.",
            "Not much to say about that, really.",
            "Nothing special, it's just as it is.",
        ],
        "already_told": [
            "I told you about {topic} already.",
            "We covered that just now: {topic}.",
        ],
        "wrong_handling": [
            "That's not what I'm worried about.",
            "That's not the point I made.",
            "You missed my point. That isn't my concern.",
        ],
        "already_bought": [
            "We've already agreed. Let's go ahead.",
            "I've decided. Just sort out the paperwork.",
        ],
        "not_wanted": [
            "Not {product}. I want something that fits my situation.",
            "I'm not interested in {product}.",
        ],
        "disclosure_requested": [
            "Hold on. Before I decide, tell me {missing}.",
            "Not so fast. I'd like to know {missing} first, then I'll decide.",
        ],
    },
}
"""Situation lines by language; the first seven keys mirror ``ClientLines``.

``disclosure_requested`` gets ``{missing}``: what the client wants to hear first.
"""

INTENT_LINES: dict[Lang, dict[str, list[str]]] = {
    "zh": {
        "greet": ["您好。", "你好你好。"],
        "small_talk": ["是啊，可不是嘛。", "嗯，还行。"],
        "thank_close": ["好，谢谢您，再见。", "不客气，那我先走了。"],
        "apologize": ["没事没事。", "没关系。"],
        "explain_purpose": ["哦，是这样啊，您说吧。", "行，那您问吧。"],
        "summarize_needs": ["对，就是这个意思。", "差不多，您理解得没错。"],
        "ask_feedback": ["挺好的，您讲得挺清楚。", "还可以，挺耐心的。"],
        "invite_suggestions": ["暂时没什么意见。", "有的话我会跟您说的。"],
        "schedule_follow_up": ["行，到时候联系吧。", "好，您到时候打电话给我。"],
        "ask_contact_preference": ["打电话就行，白天一般都方便。", "打电话或者发短信都行。"],
        "ask_referral": ["行，有合适的我跟朋友说说。", "好，身边有人需要我就介绍过来。"],
        "cross_sell": ["这个以后再说吧。", "先把这个办好，别的回头再看。"],
        "explain_procedure": ["好，那我带上身份证就行是吧？", "嗯，手续不复杂就好。"],
        "confirm_details": ["对，没错。", "嗯，就这样。"],
        "introduce_product": ["哦？您说说看。", "嗯，这是个什么产品？"],
        "explain_features": ["嗯，明白了。", "哦，是这样。"],
        "explain_advantages": ["听起来还不错。", "嗯，这倒是。"],
        "explain_benefits": ["嗯，这对我倒是挺实在的。", "这样说我就明白对我有什么好处了。"],
        "disclose_risk": ["嗯，风险讲清楚了我心里有数。", "好，这个我知道了。"],
        "disclose_fees": ["费用清楚了就好。", "嗯，这个费用我记下了。"],
        "risk_assessment": ["行，做就做吧。", "好，您问吧。"],
        "present_positioning": ["哦，你们行是这个特点啊。", "嗯，听起来还挺有特色。"],
        "compare_options": ["嗯，这么一比就清楚了。", "这样对比一下好懂多了。"],
        "ask_for_commitment": ["我再想想吧。"],
    },
    "en": {
        "greet": ["Hello.", "Hi there."],
        "small_talk": ["Yes, it is.", "Not bad."],
        "thank_close": ["Thank you, goodbye.", "You're welcome. I'll be off then."],
        "apologize": ["No problem.", "That's all right."],
        "explain_purpose": ["I see. Go ahead.", "All right, ask away."],
        "summarize_needs": ["Yes, that's it.", "More or less, you've got it right."],
        "ask_feedback": ["Quite good, you explained things clearly.", "Fine, you were patient."],
        "invite_suggestions": ["Nothing for now.", "If I think of something I'll tell you."],
        "schedule_follow_up": ["Fine, get in touch then.", "All right, call me then."],
        "ask_contact_preference": [
            "A phone call is fine, any time in the day.",
            "A call or a text message, either is fine.",
        ],
        "ask_referral": ["Sure, I'll tell my friends.", "If someone needs it I'll send them."],
        "cross_sell": ["Maybe another time.", "Let's finish this one first."],
        "explain_procedure": ["So I just bring my ID?", "Good, as long as it's simple."],
        "confirm_details": ["Yes, that's right.", "Yes, that's it."],
        "introduce_product": ["Oh? Tell me more.", "What kind of product is it?"],
        "explain_features": ["I see.", "Right."],
        "explain_advantages": ["Sounds good.", "That's true."],
        "explain_benefits": ["That does help me.", "Now I see what's in it for me."],
        "disclose_risk": ["Good to know the risks.", "All right, noted."],
        "disclose_fees": ["Good to know the fees.", "Noted."],
        "risk_assessment": ["All right, let's do it.", "Fine, go ahead."],
        "present_positioning": [
            "So that is what your bank stands for.",
            "I see, that sounds distinctive.",
        ],
        "compare_options": ["That comparison makes it clearer.", "That helps."],
        "ask_for_commitment": ["Let me think about it."],
    },
}
"""Generic replies by intent, used when neither the step nor the scenario gives one."""

DECISION_TEXT: dict[Lang, dict[str, str]] = {
    "zh": {
        "reason_trust": "信任度 {value}，未达到 {limit}",
        "reason_intent": "还没有做到：{names}",
        "reason_fact": "还没有了解到：{names}",
        "reason_min_facts": "了解到的情况太少（{value}/{limit}）",
        "reason_objection": "顾虑没有解决：{names}",
        "reason_violation": "有违规：{names}",
        "reason_product": "客户要的是“{product}”，不是“{other}”",
        "reason_met": "条件都已满足",
        "reason_bought": "已在第 {turn} 轮同意购买“{product}”",
        "say_trust": "我对你们还不太放心。",
        "say_intent": "有些该讲的您还没讲清楚。",
        "say_fact": "您对我的情况还不够了解。",
        "say_objection": "我担心的事您还没给我说明白。",
        "say_violation": "您刚才那些话让我心里不踏实。",
        "say_product": "",
        "violation_unsuitable": "向 {risk} 客户推荐了 {level} 的“{product}”",
        "violation_disclosure": "成交前没有揭示“{product}”的{missing}",
        "reason_disclosure": "还没有讲清楚“{product}”的{missing}",
        "reason_disclosure_asked": "客户要求先讲清楚“{product}”的{missing}，暂不决定",
        "say_disclosure": "风险和费用都没讲清楚，我不敢买。",
        "risk_word": "风险",
        "fees_word": "费用",
        "risk_word_loan": "还款责任和逾期后果",
        "fees_word_loan": "利息和费用",
        "join": "和",
        "ask_risk": "这个产品有什么风险、会不会亏本",
        "ask_fees": "要收哪些费用",
        "ask_risk_loan": "万一到期还不上会怎么样",
        "ask_fees_loan": "利息加上各种费用一共要多少",
        "ask_join": "，还有",
    },
    "en": {
        "reason_trust": "trust {value} is below {limit}",
        "reason_intent": "not done yet: {names}",
        "reason_fact": "not found out: {names}",
        "reason_min_facts": "too little found out ({value}/{limit})",
        "reason_objection": "concern not resolved: {names}",
        "reason_violation": "violation: {names}",
        "reason_product": "the client wants '{product}', not '{other}'",
        "reason_met": "every condition met",
        "reason_bought": "agreed to buy '{product}' at turn {turn}",
        "say_trust": "I don't quite trust you yet.",
        "say_intent": "There are things you haven't explained.",
        "say_fact": "You don't know my situation well enough.",
        "say_objection": "You haven't answered my concern.",
        "say_violation": "What you said earlier makes me uneasy.",
        "say_product": "",
        "violation_unsuitable": "recommended {level} '{product}' to a {risk} client",
        "violation_disclosure": "no disclosure of the {missing} of '{product}' before the close",
        "reason_disclosure": "the {missing} of '{product}' not explained yet",
        "reason_disclosure_asked": (
            "the client asked to hear the {missing} of '{product}' first; no decision yet"
        ),
        "say_disclosure": "Nobody explained the risks and the fees, so I won't buy.",
        "risk_word": "risks",
        "fees_word": "fees",
        "risk_word_loan": "repayment duty and overdue consequences",
        "fees_word_loan": "interest and fees",
        "join": " and ",
        "ask_risk": "what the risks are and whether I could lose money",
        "ask_fees": "what fees I'd pay",
        "ask_risk_loan": "what happens if I can't repay on time",
        "ask_fees_loan": "what the interest and all the fees come to",
        "ask_join": ", and ",
    },
}
"""Templates of the decision reasons and violation details, by language."""
