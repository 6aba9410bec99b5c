"""Sources: the documents, their metadata and claim counts; one document's text with its claims marked."""

import streamlit as st

from cadi import data, filters, query, ui

page = ui.start("Sources", "The documents the figures come from. Open one to read each figure in its context.")
sources = ui.load(data.load_sources)
counts = filters.apply(ui.load(data.load_claims, columns=data.COUNT_COLUMNS), page.filters)
docs = query.documents_table(sources, counts)
st.dataframe(
    docs,
    hide_index=True,
    key="sources_table",
    column_config={
        "n_claims": "claims (all)",
        "claims_shown": "claims (selection)",
        "url": st.column_config.LinkColumn("url"),
    },
)
if ui.empty(docs, f"The store lists no documents. {data.REBUILD_HINT}"):
    st.stop()

titles = dict(zip(docs["doc"].astype(str), docs["title"].fillna("").astype(str), strict=True))
doc = ui.choice("Document", {d: f"{d} — {t}" if t else d for d, t in titles.items()}, "doc")
claims = ui.load(data.load_claims, where={"doc": [doc]})
text = data.read_document(doc)
if text is None:
    st.info(
        f"The text of `{doc}` is not in the raw documents folder (`data/raw/`), so it cannot be shown here. "
        "Its figures are listed below with their quotes."
    )
else:
    st.caption(f"The {len(claims)} figure(s) taken from this document are highlighted; point at one to see its claim.")
    st.markdown(ui.document_html(text, claims, page.labels), unsafe_allow_html=True)
ui.figures_table(claims, page.labels, key="sources_claims")
