"""A small HTML reader for tests: headings, images, form controls and their labels."""

from html.parser import HTMLParser


class PageStructure(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.h1_count = 0
        self.images: list[dict] = []
        self.controls: list[dict] = []
        self.label_targets: set[str] = set()
        self.landmarks: set[str] = set()
        self.html_lang = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang")
        elif tag == "h1":
            self.h1_count += 1
        elif tag == "img":
            self.images.append(attributes)
        elif tag in {"input", "select", "textarea"} and attributes.get("type") not in {"hidden", "submit"}:
            self.controls.append(attributes)
        elif tag == "label" and attributes.get("for"):
            self.label_targets.add(attributes["for"])
        if tag in {"header", "main", "footer", "nav"}:
            self.landmarks.add(tag)

    def unlabelled_controls(self) -> list[dict]:
        return [
            control
            for control in self.controls
            if control.get("id") not in self.label_targets and not control.get("aria-label")
        ]

    def images_without_alt(self) -> list[dict]:
        return [image for image in self.images if "alt" not in image]
