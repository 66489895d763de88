"""The district configuration file: district, jurisdictions, authority registry, deadlines,
benefit standards, material rules. One TOML file; ``config/urho.toml`` is the shipped example.

Every number in it is configuration with the plan's value as the default (NATIONAL-RULES.md).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jiuzhu_contracts.base import ApprovingBody, Area, Category, Role
from jiuzhu_contracts.tekun import SelfCareLevel


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Jurisdiction(_Model):
    code: str
    slug: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    kind: str = Field(description="subdistrict | township | park")
    committees: tuple[str, ...] = ()


class AuthorityRule(_Model):
    """(jurisdiction, category) → approving body from ``effective_from`` (SPEC §3)."""

    jurisdiction: str
    category: Category | None = Field(None, description="None: every category.")
    body: ApprovingBody
    effective_from: dt.date
    instrument: str = ""


class Deadlines(_Model):
    """Working days (SPEC §5). Defaults are the Urho plan's."""

    investigation: int = 10  # 五(二): within 10 working days of acceptance
    review: int = 5  # 五(二): within 5 working days after the home visit
    publicity: int = 7  # 五(三): 7 working days on the committee board
    decision: int = 3  # 五(三): leader decides within 3 working days after a clean window
    decision_after_objection: int = 15  # 五(三): within 15 working days after an objection
    refusal_notice: int = 3  # 五(三): written refusal within 3 working days
    rectification: int = 20  # 六(二): "书面限期整改" — the plan leaves the period to the bureau
    petition: int = 15  # 六(三): 信访件的转办督办 — the jurisdiction's written answer; the plan leaves the period to the bureau
    support_notice: int = 3  # D21 art. 32: a change or an end of support, in writing via the committee
    # 定期核查 once opened: the plan is silent on re-reviews; they take the steps of a new case (home
    # visit, household data and economic check, review), so they get its time — 五(二)'s 10 working
    # days to investigate plus 5 to sign the review.
    re_review: int = 15
    # 主动发现 (四(三)2): a committee reports a household in difficulty; the plan says only that the
    # jurisdiction helps it "及时" (六(三) 及时发现，及时救助) and sets no period. 5 working days: the
    # time 五(二) gives the jurisdiction for its next step after a home visit (the review), enough to
    # visit the household once and come back with its authorisation (代为申请) or a reason to close.
    discovery_follow_up: int = 5
    # 先行救助 (L18 §2(四), N22 §4; issue 16 item 1): after an assist-first decision the means check
    # and publicity are completed afterwards. Neither the plan nor the national rules set a period;
    # 22 working days are what the ordinary procedure gives the same steps — 五(二)'s 10 to
    # investigate and 5 to review, 五(三)'s 7 of publicity — counted from the decision.
    assist_follow_up: int = 22


class ReReviewSchedule(_Model):
    """定期核查: how often a supported household is re-reviewed (D21 art. 31; N22 §1.3). Urho's plan is
    silent on it (it speaks only of 100 % home visits, 六(二)): these are the national rules, which set
    the longest intervals — a district may re-review more often, never less."""

    categories: tuple[Category, ...] = Field(
        (Category.DIBAO, Category.TEKUN, Category.LOW_INCOME),
        description=("Categories with a standing caseload to re-review (temporary assistance is paid once). "
                     "A low-income household (D21 art. 8) is registered, not paid, and re-reviewed like a "
                     "dibao household: its recognition continues or stops."))
    stable_months: int = Field(12, ge=1, le=12, description=(
        "D21 art. 31: a household whose income is stable (no working-age member able to work, no "
        "irregular income) is re-reviewed once a year."))
    changing_months: int = Field(6, ge=1, le=6, description=(
        "D21 art. 31: a household with irregular income, or with members of working age able to work, "
        "every six months."))
    tekun_months: int = Field(12, ge=1, le=12, description="特困人员: once a year.")
    after_death_months: int = Field(3, ge=1, le=3, description=(
        "N22 §1.3: when a member dies, the household is re-reviewed within three months."))
    working_age_from: int = Field(16, ge=14, le=20, description="Working age, first year (劳动年龄).")
    working_age_until: int = Field(60, ge=50, le=70, description="Working age ends at this birthday.")
    irregular_income_kinds: tuple[str, ...] = Field(("business", "other"), description=(
        "Income lines of these kinds (HouseholdRecorded.incomes.kind) make the income irregular "
        "(收入不固定); so does the household fact irregular_income = \"yes\"."))


class DeadlineOverride(_Model):
    jurisdiction: str | None = None
    category: Category | None = None
    values: dict[str, int]


# T21 art. 16: a tekun application is decided within 15 working days of the township's submission
# (here: the publicity's close). A ceiling on the configured periods, not a period of its own: the
# Urho plan's 3 working days (五(三)) are stricter and apply.
TEKUN_DECISION_DAYS = 15


class Standard(_Model):
    """Monthly standard in fen per person, by year, area and category (SPEC §4: configuration)."""

    year: int
    area: Area
    category: Category
    monthly_fen: int = Field(ge=0)
    jurisdiction: str | None = None
    from_month: int = Field(1, ge=1, le=12, description=(
        "The month of ``year`` the standard applies from in the fund plan's projection (the city's notice; "
        "decision's /standard-raises applies it to households from the month it is given)."))


# The standards the review looks up (verification's ``benefits.assess``): dibao for every category —
# low-income (D21 art. 8) and temporary assistance (L18) are multiples of it — and tekun for tekun.
STANDARDS_LOOKED_UP: tuple[Category, ...] = (Category.DIBAO, Category.TEKUN)

AREA_ZH = {Area.URBAN: "城镇", Area.RURAL: "农村"}
CATEGORY_ZH = {Category.DIBAO: "最低生活保障", Category.TEKUN: "特困人员基本生活",
               Category.LOW_INCOME: "低收入家庭", Category.TEMPORARY: "临时救助"}


def standard_lines(category: Category, area: Area, year: int) -> str:
    """The district file's lines for one standard. ``monthly_fen`` is left blank on purpose: the
    file does not load until someone enters the figure of the city's notice, so a pasted block can
    never become a standard of 0 or last year's figure by accident."""
    return (f'[[standards]]\nyear = {year}\narea = "{area.value}"\ncategory = "{category.value}"\n'
            f"monthly_fen =     # {year}年{AREA_ZH[area]}{CATEGORY_ZH[category]}月标准（元）× 100 / "
            f"the city's {year} monthly figure in fen")


class MissingStandard(LookupError):
    """No line of the district file gives this standard (SPEC §4: standards are configuration)."""

    def __init__(self, category: Category, area: Area, year: int):
        self.category, self.area, self.year = category, area, year
        self.lines = standard_lines(category, area, year)
        super().__init__(
            f"区配置文件缺少{year}年{AREA_ZH[area]}{CATEGORY_ZH[category]}标准，请在区配置文件"
            f"（JZ_DISTRICT_CONFIG，示例 config/urho.toml）中加入以下内容并填写金额后重启服务 / "
            f"no {category.value} standard for {area.value} {year} in the district configuration: add these "
            f"lines to the district file (JZ_DISTRICT_CONFIG, shipped as config/urho.toml) with the figure "
            f"filled in, then restart the services:\n{self.lines}")


class MaterialRule(_Model):
    """One line of the material table (plan 五(一): 提交相关材料). A rule applies when every condition
    it names holds; a rule with no condition applies to every application."""

    code: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str
    categories: tuple[Category, ...] = Field((), description="Only for these categories (empty: all).")
    when_member: str | None = Field(None, pattern="^(disabled|in_school|seriously_ill|unable_to_work)$",
                                    description="Only when some member has this fact.")
    when_relation: str | None = Field(None, description="Only when some member has this relation.")
    source: str = ""


class Benefits(_Model):
    """How eligibility and amounts are computed (D21 art. 8, 14, 23; L18). Example defaults."""

    rounding: str = Field("yuan_up", pattern="^(fen|yuan_up|yuan_half_up)$",
                          description="How a computed monthly amount is rounded.")
    asset_limit_months: int = Field(24, ge=0, description="Countable assets ≤ size × months × dibao standard.")
    low_income_multiple_tenths: int = Field(15, ge=10, description="D21 art. 8: 1.5 × the dibao standard.")
    temporary_months: int = Field(3, ge=0, description=(
        "Temporary assistance: the reference amount shown to the reviewer, in months of the dibao "
        "standard; the amount granted is by need within [temporary]'s band (L18 §2)."))


class DisposableIncome(_Model):
    """Local per-capita disposable income of a year (统计部门公布的上年度居民人均可支配收入), fen a year."""

    year: int
    area: Area
    annual_fen: int = Field(ge=1)


class TemporaryAssistance(_Model):
    """Temporary assistance by need (L18 §2, N22 §4; issue 16 item 1; docs/temporary-assistance.md).
    Bands are months of the dibao standard × the household's persons. EXAMPLE values."""

    emergency_max_months: int = Field(6, ge=1, le=60, description=(
        "急难型: the most one decision may grant, in months of the dibao standard per person."))
    expenditure_max_months: int = Field(6, ge=1, le=60, description=(
        "支出型: the most one decision may grant, in months of the dibao standard per person."))
    large_above_months: int = Field(3, ge=1, le=60, description=(
        "Above this many months of the standard per person the amount is large (大额): decided case by "
        "case (一事一议) with a recorded reason, filed as such."))
    follow_up_skip_below_fen: int = Field(100_000, ge=0, description=(
        "先行救助 below this amount (1,000 元): the means check and publicity are not completed afterwards "
        "(小额、紧急的简化程序, N22 §4). 0: always completed."))
    max_tranches: int = Field(3, ge=1, le=12, description="分次发放: the most tranches one decision may pay in.")
    disposable_income: tuple[DisposableIncome, ...] = Field((), description=(
        "支出型: the household's per-capita income must be below the prior year's local per-capita "
        "disposable income (L18 §1(二)2)."))

    def disposable_income_of(self, year: int, area: Area) -> int | None:
        return next((d.annual_fen for d in self.disposable_income if d.year == year and d.area == area), None)


class SupportChanges(_Model):
    """Changes to a household already on support (D21 art. 31–32, N22 §1.3, T21 art. 26). The written
    notice's period is ``[deadlines] support_notice`` (working days, overridable per jurisdiction)."""

    takes_effect: str = Field("next_month", pattern="^(next_month|this_month)$", description=(
        "From which month a change or an end takes effect, counted from the decision: the next month (as "
        "support begins, D21 art. 21, 25) or the decision's own month. An earlier month is refused."))
    gradual_exit_months: int = Field(6, ge=1, le=6, description=(
        "渐退期: months support continues once income rises above the standard (N22 §1.3: at most 6)."))
    tekun_termination_notice_days: int = Field(7, ge=7, le=60, description=(
        "T21 art. 26: a tekun termination is announced 7 days (calendar days) before it takes effect, "
        "and takes effect from the month after the notice has run."))


class TekunCare(_Model):
    """照料护理标准 (T21 art. 5, 21–23): the monthly care support of a tekun person at one self-care
    level, for one year and area — a figure in fen, or a percentage of that year's basic-living
    (tekun) standard. A jurisdiction's own line wins over the district's."""

    year: int
    area: Area
    level: SelfCareLevel
    monthly_fen: int | None = Field(None, ge=0)
    percent_of_basic: int | None = Field(None, ge=0, le=1000)
    jurisdiction: str | None = None

    @model_validator(mode="after")
    def _one_figure(self) -> "TekunCare":
        if (self.monthly_fen is None) == (self.percent_of_basic is None):
            raise ValueError("a [[tekun_care]] line gives monthly_fen or percent_of_basic, exactly one")
        return self


class Tekun(_Model):
    """特困人员 (T21). ``care_percent_of_basic`` is used for a year without ``[[tekun_care]]`` lines:
    EXAMPLE figures, not any published standard — a district sets its own (its province's notice)."""

    care_percent_of_basic: dict[SelfCareLevel, int] = Field(
        {SelfCareLevel.SELF_CARE: 10, SelfCareLevel.SEMI_DISABLED: 30, SelfCareLevel.DISABLED: 60},
        description="EXAMPLE: care support per level as a percentage of the basic-living standard.")
    reassessment_days: int = Field(10, ge=1, le=10, description=(
        "T21 art. 23: a tekun person whose condition changed is re-assessed within 10 days (calendar days)."))

    @model_validator(mode="after")
    def _every_level(self) -> "Tekun":
        missing = set(SelfCareLevel) - set(self.care_percent_of_basic)
        if missing:
            raise ValueError(f"[tekun] care_percent_of_basic lacks {sorted(missing)}")
        return self


class Limits(_Model):
    """Plausibility bounds on what staff and citizens type in (issue 6, input hardening). Not rules of
    the statute: guards against typing errors and forged input that would stop a clock, lock a
    record or overflow a column. Generous on purpose — a real case never meets them."""

    future_date_tolerance_days: int = Field(1, ge=0, le=31, description=(
        "A date entered by staff (visit, appraisal, check report, notice delivery …) may be at most this "
        "many days after the business day: a form filled in just before midnight, a clock a day apart."))
    months_back: int = Field(24, ge=1, le=240, description=(
        "A month entered (last month paid, roster month, spot-check month) no earlier than this many "
        "months before the business month."))
    months_ahead: int = Field(12, ge=0, le=120, description=(
        "… and no later than this many months after it."))
    oldest_age_years: int = Field(125, ge=100, le=150, description=(
        "A birth date in a resident ID number at most this many years before the business day."))
    household_monthly_income_fen: int = Field(100_000_000, ge=1, le=2**62, description=(
        "Largest monthly income of a household, and of one income line: 1,000,000 元."))
    household_assets_fen: int = Field(10_000_000_000, ge=1, le=2**62, description=(
        "Largest assets of a household, and of one asset line: 100,000,000 元."))
    amount_per_month_fen: int = Field(10_000_000, ge=1, le=2**62, description=(
        "Largest amount a reviewer may propose per month (or once, for temporary assistance): 100,000 元, "
        "some thirty times a large household's dibao."))


class FundPlan(_Model):
    """资金需求计划 (plan 四(一)3): how far the fund plan projects and from how many past months it
    takes its trend (disbursement's ``domain/fund_plan.py``)."""

    months: int = Field(12, ge=1, le=36, description="Months projected by default.")
    trend_months: int = Field(6, ge=1, le=24, description=(
        "The trend: the mean per month of the last this-many complete months' approvals, exits and "
        "temporary assistance, per jurisdiction and category."))


class District(_Model):
    code: str
    name: str
    city: str
    hotline: str
    timezone: str = "Asia/Shanghai"


class StaffMember(_Model):
    """A person of the district's staff directory (the console's development sign-in picks one; in
    production the province's identity provider says who someone is, and this list is not used)."""

    id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=40)
    roles: tuple[Role, ...] = Field(min_length=1)
    jurisdiction: str = Field(description="The jurisdiction they act for; district staff: the district code.")
    title: str = ""


class DistrictConfig(_Model):
    district: District
    jurisdictions: tuple[Jurisdiction, ...]
    authority: tuple[AuthorityRule, ...]
    deadlines: Deadlines = Deadlines()
    deadline_overrides: tuple[DeadlineOverride, ...] = ()
    standards: tuple[Standard, ...] = ()
    materials: tuple[MaterialRule, ...] = ()
    benefits: Benefits = Benefits()
    support_changes: SupportChanges = SupportChanges()
    temporary: TemporaryAssistance = TemporaryAssistance()
    re_review: ReReviewSchedule = ReReviewSchedule()
    tekun: Tekun = Tekun()
    tekun_care: tuple[TekunCare, ...] = ()
    limits: Limits = Limits()
    fund_plan: FundPlan = FundPlan()
    close_relative_relations: tuple[str, ...] = Field(
        ("spouse", "parent", "child", "sibling", "grandparent", "grandchild"),
        description="D12 art. 14; local rules may add in-laws, aunts and uncles.")
    holiday_files: tuple[str, ...] = Field((), description=(
        "Holiday files or directories, relative to this file: the region's own holidays (config/holidays/), "
        "on top of the national calendar."))
    staff: tuple[StaffMember, ...] = Field((), description="Staff directory for the development sign-in.")
    spot_check_share: float = Field(0.30, ge=0.30, le=1.0, description="五(四): not below 30 %.")
    archive_retention_years: int = Field(
        30, ge=1, le=100, description="档案管理 (plan 四(二)3): how long a case's archive is kept by the records "
                                      "office, counted from the year the case closed. The district's records office "
                                      "sets it; the archive's manifest states the year it may be destroyed.")
    separation_of_duties: bool = Field(
        True, description="谁调查、谁签字、谁负责 (plan 一): whoever recorded the home visit (either investigator) "
                          "or signed the review of a case may not decide it. On unless a district turns it off.")

    @model_validator(mode="after")
    def _references(self) -> "DistrictConfig":
        codes = {j.code for j in self.jurisdictions}
        for rule in self.authority:
            if rule.jurisdiction not in codes:
                raise ValueError(f"authority rule names unknown jurisdiction {rule.jurisdiction}")
        for o in self.deadline_overrides:
            if o.jurisdiction and o.jurisdiction not in codes:
                raise ValueError(f"deadline override names unknown jurisdiction {o.jurisdiction}")
            unknown = set(o.values) - set(Deadlines.model_fields)
            if unknown:
                raise ValueError(f"deadline override has unknown periods {sorted(unknown)}")
        for code in sorted(codes):
            for name in ("decision", "decision_after_objection"):
                days = self.deadline(name, jurisdiction=code, category=Category.TEKUN)
                if days > TEKUN_DECISION_DAYS:
                    raise ValueError(f"tekun's {name} in {code} is {days} working days; T21 art. 16 allows at "
                                     f"most {TEKUN_DECISION_DAYS}")
        for care in self.tekun_care:
            if care.jurisdiction and care.jurisdiction not in codes:
                raise ValueError(f"tekun_care line names unknown jurisdiction {care.jurisdiction}")
        for person in self.staff:
            if person.jurisdiction not in codes | {self.district.code}:
                raise ValueError(f"staff member {person.id} acts for unknown jurisdiction {person.jurisdiction}")
        ids = [p.id for p in self.staff]
        if len(ids) != len(set(ids)):
            raise ValueError("staff ids must be unique")
        codes_seen = [m.code for m in self.materials]
        if len(codes_seen) != len(set(codes_seen)):
            raise ValueError("material codes must be unique")
        return self

    def standard(self, category: Category, area: Area, year: int, jurisdiction: str) -> int:
        """Monthly standard in fen; a jurisdiction's own line wins over the district's."""
        lines = [s for s in self.standards if s.category == category and s.area == area and s.year == year
                 and s.jurisdiction in (None, jurisdiction)]
        if not lines:
            raise MissingStandard(category, area, year)
        return sorted(lines, key=lambda s: s.jurisdiction is not None)[-1].monthly_fen

    def care_standard(self, level: SelfCareLevel, area: Area, year: int, jurisdiction: str) -> int:
        """照料护理标准 in fen a month for one tekun person at ``level`` (T21 art. 21–23): the year's
        ``[[tekun_care]]`` line (a jurisdiction's own wins), else ``[tekun] care_percent_of_basic``;
        a percentage is of the year's tekun standard, rounded down to the fen."""
        lines = sorted((c for c in self.tekun_care if c.level == level and c.area == area and c.year == year
                        and c.jurisdiction in (None, jurisdiction)), key=lambda c: c.jurisdiction is not None)
        if lines and lines[-1].monthly_fen is not None:
            return lines[-1].monthly_fen
        percent = lines[-1].percent_of_basic if lines else self.tekun.care_percent_of_basic[level]
        return self.standard(Category.TEKUN, area, year, jurisdiction) * percent // 100

    def jurisdiction(self, code: str) -> Jurisdiction:
        for j in self.jurisdictions:
            if j.code == code:
                return j
        raise KeyError(f"jurisdiction {code} is not in district {self.district.code}")

    def deadline(self, name: str, *, jurisdiction: str, category: Category | None = None) -> int:
        """Most specific wins: (jurisdiction, category) > jurisdiction > category > default."""
        value = getattr(self.deadlines, name)
        ranked = sorted(
            (o for o in self.deadline_overrides if name in o.values
             and o.jurisdiction in (None, jurisdiction) and o.category in (None, category)),
            key=lambda o: (o.jurisdiction is not None, o.category is not None),
        )
        for o in ranked:
            value = o.values[name]
        return value


def load_district_config(path: Path | str) -> DistrictConfig:
    with open(path, "rb") as fh:
        return DistrictConfig.model_validate(tomllib.load(fh))
