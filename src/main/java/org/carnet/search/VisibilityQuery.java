package org.carnet.search;

import java.util.List;
import java.util.Set;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.carnet.record.Visibility;

/**
 * Compiles a {@link Visibility} into a Lucene filter for one patient's entries, clause for clause what the store's
 * {@code VisibilitySql} compiles into SQL (ADR 0008), on the same {@code access_tags} the store keeps on each row. So
 * a search, its totals, facets, timelines, duplicate counts and snippets see exactly the entries a FHIR search would:
 * the filter is part of every query, never applied to results.
 */
final class VisibilityQuery {

    private VisibilityQuery() {}

    /** What the caller may see of {@code patientId}'s entries. */
    static Query of(Visibility visibility, String patientId) {
        if (visibility.unrestricted()) {
            return new MatchAllDocsQuery();
        }
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        int grants = 0;
        for (Visibility.Grant grant : visibility.grants()) {
            Set<String> patients = grant.patients();
            if (patients != null && !patients.contains(patientId)) {
                continue;
            }
            grants++;
            BooleanQuery.Builder all = new BooleanQuery.Builder().add(new MatchAllDocsQuery(), Occur.FILTER);
            Set<String> types = grant.types();
            if (types != null) {
                all.add(in(LuceneIndex.RESOURCE_TYPE, types, ""), Occur.FILTER);
            }
            Set<String> documentTypes = grant.documentTypes();
            if (documentTypes != null) {
                // not a DocumentReference, or one of a visible document type
                BooleanQuery.Builder either = new BooleanQuery.Builder()
                        .add(not(new TermQuery(new Term(LuceneIndex.RESOURCE_TYPE, "DocumentReference"))), Occur.SHOULD)
                        .add(in(LuceneIndex.ACCESS_TAG, documentTypes, "doctype:"), Occur.SHOULD);
                either.setMinimumNumberShouldMatch(1);
                all.add(either.build(), Occur.FILTER);
            }
            if (!grant.excludedDocumentTypes().isEmpty()) {
                all.add(in(LuceneIndex.ACCESS_TAG, grant.excludedDocumentTypes(), "doctype:"), Occur.MUST_NOT);
            }
            if (!grant.hiddenLabels().isEmpty()) {
                BooleanQuery.Builder shown = new BooleanQuery.Builder()
                        .add(not(in(LuceneIndex.ACCESS_TAG, grant.hiddenLabels(), "label:")), Occur.SHOULD);
                if (!grant.exemptAuthors().isEmpty()) {
                    shown.add(in(LuceneIndex.ACCESS_TAG, grant.exemptAuthors(), "author:"), Occur.SHOULD);
                }
                shown.setMinimumNumberShouldMatch(1);
                all.add(shown.build(), Occur.FILTER);
            }
            any.add(all.build(), Occur.SHOULD);
        }
        if (grants == 0) {
            return new MatchNoDocsQuery("the caller sees nothing of this record");
        }
        any.setMinimumNumberShouldMatch(1);
        return any.build();
    }

    private static Query not(Query query) {
        return new BooleanQuery.Builder()
                .add(new MatchAllDocsQuery(), Occur.FILTER)
                .add(query, Occur.MUST_NOT)
                .build();
    }

    private static Query in(String field, Set<String> values, String prefix) {
        List<BytesRef> terms =
                values.stream().sorted().map(v -> new BytesRef(prefix + v)).toList();
        return new TermInSetQuery(field, terms);
    }
}
