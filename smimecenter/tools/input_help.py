"""Next to the certificate check's form: per mail app, how to get the file to check, with the guide section
that says it in full (content/guides/save-a-message-or-export-your-certificate.md)."""
from __future__ import annotations

from dataclasses import dataclass

GUIDE = "/guides/save-a-message-or-export-your-certificate/"


@dataclass(frozen=True)
class AppHelp:
    app: str
    message: str       # how to save a message received in this app
    certificate: str   # how to export your own certificate from where this app keeps it
    anchor: str        # the guide section about this app

    @property
    def guide_url(self) -> str:
        return f"{GUIDE}#{self.anchor}"


APPS: tuple[AppHelp, ...] = (
    AppHelp("Outlook for Windows",
            "File > Save As, keep the .msg type (or drag the message to a folder).",
            "Trust Center > Email Security > Import/Export saves it as a .pfx file.",
            "outlook-windows"),
    AppHelp("Outlook for Mac",
            "Open the message in Apple Mail or Outlook for Windows and save it there.",
            "Export it from Keychain Access, where Outlook for Mac keeps it.",
            "outlook-mac"),
    AppHelp("Apple Mail",
            "File > Save As, format Raw Message Source (an .eml file).",
            "Keychain Access > My Certificates, Control-click it, Export (.p12).",
            "apple-mail"),
    AppHelp("iPhone and iPad",
            "Save the same message on a computer; the phone can show its certificate only.",
            "Check the .p12 file you installed it from.",
            "iphone-ipad"),
    AppHelp("Thunderbird",
            "File > Save As > File (an .eml file).",
            "Settings > Privacy & Security > Manage Certificates > Your Certificates > Backup (.p12).",
            "thunderbird"),
)
