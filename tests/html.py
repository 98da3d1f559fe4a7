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


class FormFields(HTMLParser):
    """What a browser would send for the form with the given id, as it stands on the page: [(name, value), …]."""

    def __init__(self, html: str, form_id: str):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.select: str | None = None
        self.textarea: str | None = None
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
        if not self.inside or "name" not in attributes and tag not in {"option"}:
            return
        name = attributes.get("name")
        if tag == "input":
            kind = attributes.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attributes:
                return
            self.fields.append((name, attributes.get("value") or ("on" if kind in {"checkbox", "radio"} else "")))
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and "selected" in attributes:
            self.fields.append((self.select, attributes.get("value", "")))
        elif tag == "textarea":
            self.textarea, self.text = name, []

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append((self.textarea, "".join(self.text).removeprefix("\n")))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)

    def as_dict(self) -> dict[str, str | list[str]]:
        """For Django's test client: a name sent twice becomes a list."""
        values: dict[str, list[str]] = {}
        for name, value in self.fields:
            values.setdefault(name, []).append(value)
        return {name: value[0] if len(value) == 1 else value for name, value in values.items()}
