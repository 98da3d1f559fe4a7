"""Small HTML readers for tests: headings, images, form controls and their labels; the rows of a table."""

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


class Rows(HTMLParser):
    """The text of each table row inside the element with the given id."""

    def __init__(self, html: str, container_id: str):
        super().__init__()
        self.container_id = container_id
        self.depth = 0  # > 0 while inside the container
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += tag not in {"br", "img", "input", "meta", "link"}
        elif dict(attrs).get("id") == self.container_id:
            self.depth = 1
            return
        if not self.depth:
            return
        if tag == "tr":
            self.rows.append([])
        elif tag in {"td", "th"} and self.rows:
            self.cell = []

    def handle_endtag(self, tag):
        if not self.depth:
            return
        self.depth -= 1
        if tag in {"td", "th"} and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.depth and self.cell is not None:
            self.cell.append(data)

    def row_with(self, text: str) -> list[str]:
        matches = [row for row in self.rows if any(text in cell for cell in row)]
        assert len(matches) == 1, (text, self.rows)
        return matches[0]
