from .attribution import Touch, VisitorSalt
from .conversions import Conversion
from .events import DailyStat, Event
from .offers import AmazonTrackingID, Offer, Partner, TrackedLink

__all__ = [
    "AmazonTrackingID",
    "Conversion",
    "DailyStat",
    "Event",
    "Offer",
    "Partner",
    "Touch",
    "TrackedLink",
    "VisitorSalt",
]
