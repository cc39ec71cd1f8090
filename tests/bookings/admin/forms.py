"""Read a page's form as a browser would submit it: the fields of the form, with the values
it renders, inlines' management forms included."""

from html.parser import HTMLParser

NOT_SUBMITTED = {"submit", "button", "reset", "image", "file"}


class _FormReader(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.fields: list[tuple[str, str]] = []
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.in_form = True
        if not self.in_form or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in NOT_SUBMITTED:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value", "on")))
                return
            self.fields.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {
                "value": attrs.get("value"),
                "selected": "selected" in attrs,
                "text": "",
            }
            self._select["options"].append(self._option)
        elif tag == "textarea" and name:
            self._textarea = {"name": name, "text": ""}

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            self._close_select()
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline right after <textarea>, as Django writes it.
            text = self._textarea["text"]
            self.fields.append((self._textarea["name"], text.removeprefix("\n")))
            self._textarea = None

    def _close_select(self) -> None:
        select, self._select = self._select, None
        options = [
            (o["value"] if o["value"] is not None else o["text"].strip(), o["selected"])
            for o in select["options"]
        ]
        chosen = [value for value, selected in options if selected]
        if not select["multiple"] and not chosen and options:
            chosen = [options[0][0]]  # a browser submits the first option of a plain select
        self.fields.extend((select["name"], value) for value in chosen)


def submitted_fields(html: str, form_id: str) -> dict[str, list[str]]:
    """What pressing the form's Save button sends: name -> its values."""
    reader = _FormReader(form_id)
    reader.feed(html)
    assert reader.fields, f"no form #{form_id} on the page"
    data: dict[str, list[str]] = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    return data
