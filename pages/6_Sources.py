"""Sources: the documents, their metadata and claim counts; one document's text with its claims marked."""

import streamlit as st

from cadi import data, query, ui

PAGE_DOCS = 100  # documents listed per page

page = ui.start("Sources", "The documents the figures come from. Open one to read each figure in its context.")
sources = ui.load(data.load_sources)  # sorted by doc
n_docs = len(sources)
n_pages = max(1, -(-n_docs // PAGE_DOCS))
first = (ui.page_number(n_pages, "sources_page", "Page of documents") - 1) * PAGE_DOCS
listed = sources.iloc[first : first + PAGE_DOCS]
# Claims in the selection per listed document, from the per-document codes: no claim rows are read.
shown = ui.doc_counts(page, listed["doc"].astype(str).tolist())
docs = query.documents_table(listed, shown)
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
if n_pages > 1:
    st.caption(f"Page {first // PAGE_DOCS + 1:,} of {n_pages:,}: documents {first + 1:,}–{first + len(docs):,} "
               f"of {n_docs:,}, by file name.")

# The choice lists this page's documents, plus one named by the link or chosen before.
titles = ui.load(data.source_titles)
options = list(docs["doc"].astype(str))
options += [d for d in ui.remembered("doc") if d in titles and d not in options]
doc = ui.choice("Document", {d: f"{d} — {titles[d]}" if titles[d] else d for d in options}, "doc")
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
