"""Words the pages translate from the API's values (statuses, channels, kinds).

Listed here so that message extraction finds them; the pages look them up with `_()`.
"""


def _(word: str) -> str:
    return word


WORDS = (
    # member statuses
    _("applicant"), _("active"), _("grace"), _("suspended"), _("lapsed"), _("terminated"),
    _("rejected"),
    # delivery statuses and channels
    _("pending"), _("digest"), _("digested"), _("sent"), _("retrying"), _("dead"),
    _("email"), _("webhook"),
    # invoices and calls
    _("open"), _("overdue"), _("paid"), _("draft"), _("published"), _("closed"),
    # funders and instruments
    _("donor"), _("government"), _("ifi"), _("bank"),
    _("grant"), _("loan"), _("guarantee"), _("equity"), _("technical_assistance"),
    # procurement, advocacy and training values
    _("collecting"), _("threshold_reached"), _("tendered"), _("cancelled"), _("evaluation"),
    _("awarded"), _("position_adopted"), _("scheduled"), _("completed"), _("course"),
    _("workshop"), _("fair"), _("capacity_development"), _("success"), _("refused"),
    _("error"), _("admin"), _("staff"), _("member"), _("integration"),
    # notification topics
    _("advocacy"), _("collaboration"), _("fees"), _("funding"), _("membership"), _("news"),
    _("procurement"), _("security"), _("staff_alerts"), _("training"), _("inbox"),
    # answers, report groups and legislative stages
    _("yes"), _("no"), _("abstain"), _("category"), _("supplier"), _("year"),
    _("public_consultation"), _("registered"), _("committee"), _("reading_1"), _("reading_2"),
    _("reading_3"), _("adopted"), _("signed"), _("withdrawn"),
    # applications and registrations
    _("interested"), _("preparing"), _("submitted"), _("confirmed"), _("waitlisted"),
    _("offered"), _("attended"), _("no_show"),
    # dashboard cards
    _("Applications waiting for approval"), _("Invoices overdue"), _("Consultations open"),
    _("Sessions open for registration"), _("Funding calls published"), _("Dead deliveries"),
    _("Pools past their threshold"), _("Tenders in evaluation"),
)  # fmt: skip
