"""Review: accept, correct, drop or add claims (written to the curations file and rebuilt); add documents and
official series. Off unless review mode is turned on (CADI_REVIEW=1 or `review = true` in secrets)."""

from pathlib import Path

import pandas as pd
import streamlit as st

from cadi import data, review, ui
from cadi import upload as uploads
from etl import curate, schema
from etl import official as official_import

page = ui.start("Review", "Correct what the extractor got wrong. Every change is kept in the curations file, "
                "applied on every ETL run, and listed below with its time and note.")
if not review.review_enabled(st.secrets):
    st.info("Review is off: this dashboard is read-only. To review, start the app with the environment setting "
            "CADI_REVIEW=1 (or put review = true in .streamlit/secrets.toml); see the README, “Review mode”.")
    st.stop()


def rebuild_and_report(done_message: str) -> None:
    with st.spinner("Rebuilding the store…"):
        ok, tail = review.rebuild()
    if ok:
        st.success(done_message)
    else:
        st.error("Saved, but the rebuild failed; run `make etl` and read its message: " + ui.plain(tail[:300]))


def save(row: dict, done_message: str) -> None:
    try:
        review.save(row)
    except (review.ReviewError, OSError) as exc:
        st.error(ui.plain(str(exc)))
        return
    if row["action"] == "accept":
        st.success(done_message)
    else:
        rebuild_and_report(done_message)


titles = ui.load(data.source_titles)
docs = {d: f"{d} — {t}" if t else d for d, t in titles.items()}
HAS_TYPE = "claim_type" in curate.FIELD_COLUMNS
TYPES = schema.CLAIM_TYPES if HAS_TYPE else ("actual",)
tab_fix, tab_add, tab_doc, tab_official, tab_log = st.tabs(
    ["Check a claim", "Add a missed claim", "Add a document", "Import official series", "Changes"])

with tab_fix:
    doc = ui.choice("Document", docs, "doc") if docs else None
    claims = ui.load(data.load_claims, where={"doc": [doc]}) if doc else None
    if claims is None or claims.empty:
        st.info("This document has no claims. Add one the extractor missed in the next tab.")
    else:
        claims = claims.sort_values("char_start", kind="stable")
        options = {
            str(cid): f"{w} · {page.labels.get(str(i), i)} · {c} · {'no year' if pd.isna(y) else int(y)} · {o}"
            for cid, w, i, c, y, o in zip(claims["claim_id"], claims["as_written"], claims["indicator"],
                                          claims["country"], claims["year"], claims["origin"], strict=True)
        }
        chosen = st.selectbox("Claim", list(options), format_func=options.get, key="rv_claim")
        claim = claims[claims["claim_id"].astype(str) == chosen].iloc[0]
        st.caption("Its sentence, as the document writes it:")
        st.text(str(claim["quote"]))
        # Widgets keyed by the claim: choosing another claim shows its own values, never the last one's.
        with st.form(f"rv_change_{chosen}", clear_on_submit=False):
            action = st.radio("Action", ["accept", "correct", "drop"], horizontal=True,
                              key=f"rv_action_{chosen}",
                              help="Accept: the claim is right (logged). Correct: set the fields below. "
                              "Drop: remove it.")
            left, mid, right = st.columns(3)
            value = left.text_input("Value", str(claim["value"]), key=f"rv_value_{chosen}", max_chars=40)
            unit = mid.text_input("Unit", str(claim["unit"]), key=f"rv_unit_{chosen}", max_chars=40)
            country = right.text_input("Country (ISO alpha-3 or region code)", str(claim["country"]),
                                       key=f"rv_country_{chosen}", max_chars=3)
            year_now = "" if pd.isna(claim["year"]) else str(int(claim["year"]))
            year = left.text_input("Year (empty: none)", year_now, key=f"rv_year_{chosen}", max_chars=4)
            indicator = mid.text_input("Indicator id", str(claim["indicator"]), key=f"rv_indicator_{chosen}",
                                       max_chars=60)
            current_type = str(claim["claim_type"]) if HAS_TYPE and "claim_type" in claim else ""
            claim_type = right.selectbox("Claim type", TYPES,
                                         index=TYPES.index(current_type) if current_type in TYPES else 0,
                                         key=f"rv_type_{chosen}", disabled=not HAS_TYPE)
            note = st.text_area("Note (why; plain text)", key=f"rv_note_{chosen}", max_chars=review.MAX_NOTE)
            submitted = st.form_submit_button("Save")
        if submitted:
            wanted = {"value": value, "unit": unit, "country": country.upper(), "indicator": indicator,
                      "year": year if year else curate.CLEAR}
            if HAS_TYPE:
                wanted["claim_type"] = claim_type
            current = {"value": str(claim["value"]), "unit": str(claim["unit"]), "country": str(claim["country"]),
                       "indicator": str(claim["indicator"]), "year": year_now or curate.CLEAR,
                       "claim_type": current_type}
            fields = {k: v for k, v in wanted.items() if action == "correct" and v != current.get(k)}
            if action == "correct" and not fields:
                st.warning("Nothing was changed: edit a field, or choose Accept.")
            else:
                piece = review.key_piece(str(claim["quote"]), str(claim["as_written"]), claim["char_start"],
                                         claim["quote_start"])
                try:
                    row = review.entry(action, doc, str(claim["as_written"]), piece, fields, note)
                except review.ReviewError as exc:
                    st.error(ui.plain(str(exc)))
                else:
                    save(row, f"Saved: {action} {ui.plain(str(claim['as_written']))} in {ui.plain(doc)}.")

with tab_add:
    st.caption("A figure the extractor missed: name it exactly as written and a piece of its sentence that "
               "occurs once in the document.")
    with st.form("rv_add"):
        add_doc = st.selectbox("Document", list(docs), format_func=docs.get, key="rv_add_doc")
        left, right = st.columns(2)
        match = left.text_input("The figure as written", key="rv_add_match", max_chars=60, placeholder="96%")
        piece = right.text_input("A piece of its sentence", key="rv_add_piece", max_chars=200)
        left, mid, right = st.columns(3)
        a_country = left.text_input("Country (ISO alpha-3 or region code)", key="rv_add_country", max_chars=3)
        a_indicator = mid.text_input("Indicator id", key="rv_add_indicator", max_chars=60,
                                     placeholder="internet_penetration_pct")
        a_category = right.selectbox("Category", schema.CATEGORIES, key="rv_add_category")
        a_value = left.text_input("Value (fully scaled)", key="rv_add_value", max_chars=40)
        a_unit = mid.text_input("Unit", key="rv_add_unit", max_chars=40, placeholder="percent")
        a_year = right.text_input("Year (optional)", key="rv_add_year", max_chars=4)
        a_type = left.selectbox("Claim type", TYPES, key="rv_add_type", disabled=not HAS_TYPE)
        a_note = st.text_area("Note (why; plain text)", key="rv_add_note", max_chars=review.MAX_NOTE)
        added = st.form_submit_button("Add")
    if added:
        text = data.read_document(add_doc) if add_doc else None
        fields = {"country": a_country.upper(), "indicator": a_indicator, "category": a_category, "value": a_value,
                  "unit": a_unit, "year": a_year}
        if HAS_TYPE:
            fields["claim_type"] = a_type
        try:
            row = review.entry("add", add_doc or "", match, piece, fields, a_note)
            problem = review.check_addition(text, match, piece) if text is not None else "the document is not here"
            if problem:
                raise review.ReviewError(f"Not added: {problem}.")
        except review.ReviewError as exc:
            st.error(ui.plain(str(exc)))
        else:
            save(row, f"Added {ui.plain(match)} to {ui.plain(add_doc)}.")

with tab_doc:
    st.caption(f"A PDF (with a text layer), HTML, TXT or MD report of at most {uploads.MAX_MB} MB. Its type is "
               "read from its content; scripts, archives and programs are refused. The ETL reads it here first: "
               "check its figures, then add it to the store.")
    file = st.file_uploader("Document", key="rv_upload", max_upload_size=uploads.MAX_MB)
    staged = st.session_state.get("rv_staged")
    if file is not None and st.session_state.get("rv_staged_from") != file.file_id:
        try:
            with st.spinner("Checking and reading the document…"):
                staged = str(uploads.receive(file.name, file.size, file.getvalue()))
        except uploads.Refused as exc:
            staged = None
            st.session_state.pop("rv_staged", None)
            st.error(f"Not accepted: {ui.plain(str(exc))} Nothing was added.")
        else:
            st.session_state["rv_staged"], st.session_state["rv_staged_from"] = staged, file.file_id
    if staged and file is not None:
        folder = Path(staged)
        found = uploads.staged_claims(folder)
        name = next((folder / "raw").iterdir()).name if (folder / "raw").is_dir() else ""
        if found.empty:
            st.warning(f"The ETL found no figure in {ui.plain(name)}. {ui.plain(uploads.staged_report(folder))}")
        else:
            st.caption(f"{len(found)} figure(s) found in {ui.plain(name)}, highlighted below. Point at one to see "
                       "its claim. They join the store only when you add the document.")
            text = uploads.staged_text(folder)
            if text is not None:
                st.markdown(ui.document_html(text, found, page.labels), unsafe_allow_html=True)
            ui.figures_table(found, page.labels, key="rv_upload_claims")
        left, right = st.columns(2)
        if left.button("Add to the store", key="rv_upload_add", disabled=found.empty):
            try:
                target = uploads.add_to_raw(folder)
            except uploads.Refused as exc:
                st.error(ui.plain(str(exc)))
            else:
                st.session_state.pop("rv_staged", None)
                rebuild_and_report(f"Added {ui.plain(target.name)} to the documents; the store was rebuilt.")
        if right.button("Discard", key="rv_upload_discard"):
            uploads.discard(folder)
            st.session_state.pop("rv_staged", None)
            st.info("Discarded; nothing was added.")

with tab_official:
    st.caption("A CSV in the World Bank's layout (years as columns, Country Code, Indicator Code) or a long one "
               "(country, indicator_code, year, value). Internet use (IT.NET.USER.ZS), mobile (IT.CEL.SETS.P2) and "
               "fixed broadband (IT.NET.BBND.P2) subscriptions, EGDI_RANK and GII_RANK map to our indicators; "
               "imported values replace the bundled ones for the same country and year.")
    sheet = st.file_uploader("Official series (CSV)", key="rv_official", max_upload_size=uploads.MAX_MB)
    if sheet is not None and st.button("Import", key="rv_official_go"):
        try:
            rows, lines = official_import.import_upload(sheet.name, sheet.getvalue())
        except official_import.OfficialFileError as exc:
            st.error(f"Not imported: {ui.plain(str(exc))}")
        else:
            for line in lines:
                st.caption(ui.plain(line))
            if rows.empty:
                st.warning("Nothing in the file maps to our indicators; nothing was imported.")
            else:
                st.success(f"Imported {len(rows)} official value(s); the checks use them now.")

with tab_log:
    log = review.read_log()
    if log.empty:
        st.info("No change yet.")
    else:
        st.caption(f"{len(log)} change(s), newest first. The entries themselves are in data/curated/curations.csv.")
        st.dataframe(log, hide_index=True, key="rv_log", column_config={"note": st.column_config.TextColumn(
            width="large")})
