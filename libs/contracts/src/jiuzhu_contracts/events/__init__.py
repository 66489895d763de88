"""Every event of the lifecycle, grouped by the service that publishes it."""

from jiuzhu_contracts.events.decision import (
    AuthorityGranted,
    CaseApproved,
    CaseFiled,
    CaseRefused,
    RefusalNoticeIssued,
    SupportEnded,
)
from jiuzhu_contracts.events.discovery import DiscoveryFollowedUp, HouseholdInDifficultyReported
from jiuzhu_contracts.events.disbursement import PaymentConfirmed, RosterCompiled, RosterSubmitted
from jiuzhu_contracts.events.intake import (
    ApplicationAccepted,
    ApplicationDeemedWithdrawn,
    ApplicationSubmitted,
    ApplicationWithdrawn,
    CloseRelativeFlagged,
    CloseRelativeRegistered,
    CorrectionRequested,
)
from jiuzhu_contracts.events.oversight import (
    AuditCheckpointRecorded,
    DeadlineBreached,
    DeadlineRecomputed,
    DuplicateBeneficiaryDetected,
    HolidayCalendarPublished,
    RectificationAnswered,
    RectificationEscalated,
    RectificationOrdered,
    SpotCheckCompleted,
    SpotCheckSelected,
)
from jiuzhu_contracts.events.inspections import (
    AccountabilityConcluded,
    AccountabilityRecorded,
    InspectionFindingRecorded,
    InspectionRecorded,
)
from jiuzhu_contracts.events.petitions import (
    PetitionAnswered,
    PetitionClosed,
    PetitionEscalated,
    PetitionRegistered,
    PetitionTransferred,
)
from jiuzhu_contracts.events.household import (
    HouseholdChanged,
    HouseholdTransferAccepted,
    HouseholdTransferRefused,
    HouseholdTransferRequested,
)
from jiuzhu_contracts.events.support import (
    GradualExitStarted,
    RecipientMigrated,
    SupportChanged,
    SupportNoticeDelivered,
)
from jiuzhu_contracts.events.temporary import OneOffBatchConfirmed, OneOffBatchIssued, TemporaryAssistancePaid
from jiuzhu_contracts.events.re_review import ReReviewCompleted, ReReviewOpened
from jiuzhu_contracts.events.publicity import ObjectionRaised, PublicityClosed, PublicityOpened
from jiuzhu_contracts.events.verification import (
    DemocraticAppraisalHeld,
    EconomicCheckReported,
    EconomicCheckRequested,
    HomeVisitRecorded,
    HouseholdRecorded,
    ReinvestigationCompleted,
    ReinvestigationOpened,
    ReviewSigned,
)

ALL_EVENTS = (
    ApplicationSubmitted,
    CorrectionRequested,
    ApplicationAccepted,
    ApplicationWithdrawn,
    ApplicationDeemedWithdrawn,
    CloseRelativeRegistered,
    CloseRelativeFlagged,
    HouseholdInDifficultyReported,
    DiscoveryFollowedUp,
    HomeVisitRecorded,
    HouseholdRecorded,
    EconomicCheckRequested,
    EconomicCheckReported,
    DemocraticAppraisalHeld,
    ReviewSigned,
    ReinvestigationOpened,
    ReinvestigationCompleted,
    PublicityOpened,
    ObjectionRaised,
    PublicityClosed,
    CaseApproved,
    CaseRefused,
    RefusalNoticeIssued,
    CaseFiled,
    SupportEnded,
    RecipientMigrated,
    SupportChanged,
    GradualExitStarted,
    SupportNoticeDelivered,
    HouseholdChanged,
    HouseholdTransferRequested,
    HouseholdTransferAccepted,
    HouseholdTransferRefused,
    ReReviewOpened,
    ReReviewCompleted,
    AuthorityGranted,
    SpotCheckSelected,
    SpotCheckCompleted,
    RectificationOrdered,
    RectificationAnswered,
    RectificationEscalated,
    DeadlineBreached,
    DuplicateBeneficiaryDetected,
    AuditCheckpointRecorded,
    HolidayCalendarPublished,
    DeadlineRecomputed,
    PetitionRegistered,
    PetitionTransferred,
    PetitionAnswered,
    PetitionEscalated,
    PetitionClosed,
    InspectionRecorded,
    InspectionFindingRecorded,
    AccountabilityRecorded,
    AccountabilityConcluded,
    RosterCompiled,
    RosterSubmitted,
    PaymentConfirmed,
    OneOffBatchIssued,
    OneOffBatchConfirmed,
    TemporaryAssistancePaid,
)

__all__ = [cls.__name__ for cls in ALL_EVENTS] + ["ALL_EVENTS"]
