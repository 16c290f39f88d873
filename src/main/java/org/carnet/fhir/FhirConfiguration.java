package org.carnet.fhir;

import ca.uhn.fhir.rest.server.IResourceProvider;
import java.util.ArrayList;
import java.util.List;
import org.carnet.access.AccessDecisions;
import org.carnet.access.AccessRules;
import org.carnet.document.DocumentContents;
import org.carnet.document.DocumentViewsSeen;
import org.carnet.identity.Identities;
import org.carnet.record.Everything;
import org.carnet.record.QueryStrings;
import org.carnet.record.RecordHistory;
import org.carnet.record.RecordReads;
import org.carnet.record.RecordWrites;
import org.carnet.record.SupportedTypes;
import org.carnet.record.Transactions;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class FhirConfiguration {

    @Bean
    ResultStore resultStore(FhirProperties properties) {
        return new ResultStore(properties.pagedSearchesKept(), properties.defaultPageSize(), properties.maxPageSize());
    }

    @Bean
    ServletRegistrationBean<CarnetFhirServer> fhirServlet(
            ResultStore results,
            RecordReads vault,
            Searches searches,
            Transactions bundles,
            RecordHistory history,
            RecordWrites writes,
            Everything everything,
            TransactionTemplate transactions,
            Identities identities,
            Audits audits,
            AccessOperations accessOperations,
            AccessRules accessRules,
            QueryStrings queryStrings,
            DocumentViewsSeen seen,
            java.time.Clock clock,
            FhirProperties properties,
            ObjectProvider<BuildProperties> build) {
        List<IResourceProvider> providers = new ArrayList<>();
        for (String type : SupportedTypes.ALL) {
            if (type.equals("Binary")) {
                continue; // documents' contents: served by DocumentContentFilter from the blob store
            }
            providers.add(new ResourceTypeProvider(
                    vault.fhirContext().getResourceDefinition(type).getImplementingClass(),
                    vault,
                    searches,
                    transactions,
                    audits,
                    history,
                    writes,
                    bundles));
        }
        List<Object> plain = List.of(
                new SystemProvider(bundles, audits, transactions),
                new EverythingProvider(vault, everything, properties.maxPageBytes()),
                new DocumentViews(vault, queryStrings, seen, clock),
                new IdentityOperations(identities, accessRules, audits, transactions),
                accessOperations);
        String version =
                build.getIfAvailable() == null ? "dev" : build.getIfAvailable().getVersion();
        CarnetFhirServer server = new CarnetFhirServer(
                vault.fhirContext(),
                providers,
                plain,
                new CapabilityStatementProvider(vault, version, plain, clock),
                results,
                audits);
        ServletRegistrationBean<CarnetFhirServer> registration = new ServletRegistrationBean<>(server, "/fhir/*");
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }

    /** Before anything else, sign-in included: nothing of the API answers before Carnet is ready. */
    @Bean
    FilterRegistrationBean<ReadinessFilter> fhirReadinessFilter(
            org.springframework.boot.availability.ApplicationAvailability availability) {
        FilterRegistrationBean<ReadinessFilter> registration =
                new FilterRegistrationBean<>(new ReadinessFilter(availability));
        registration.addUrlPatterns("/fhir/*");
        registration.setOrder(-200);
        return registration;
    }

    /** After sign-in, before the access decision: values no FHIR request may hold are refused first. */
    @Bean
    FilterRegistrationBean<RequestCharactersFilter> fhirRequestCharactersFilter() {
        FilterRegistrationBean<RequestCharactersFilter> registration =
                new FilterRegistrationBean<>(new RequestCharactersFilter());
        registration.addUrlPatterns("/fhir/*");
        registration.setOrder(-60);
        return registration;
    }

    /** After sign-in (Spring Security's chain runs at -100), before anything reads the store. */
    @Bean
    FilterRegistrationBean<AccessFilter> fhirAccessFilter(AccessDecisions decisions, Audits audits) {
        FilterRegistrationBean<AccessFilter> registration =
                new FilterRegistrationBean<>(new AccessFilter(decisions, audits));
        registration.addUrlPatterns("/fhir/*");
        registration.setOrder(-50);
        return registration;
    }

    /** Documents' contents, streamed; before the size limit of FHIR bodies, which they have their own of. */
    @Bean
    FilterRegistrationBean<DocumentContentFilter> fhirDocumentContentFilter(
            DocumentContents contents, RecordReads vault, Audits audits, FhirProperties properties) {
        FilterRegistrationBean<DocumentContentFilter> registration = new FilterRegistrationBean<>(
                new DocumentContentFilter(contents, vault, audits, properties.maxDocumentBytes()));
        registration.addUrlPatterns("/fhir/*");
        registration.setOrder(-1);
        return registration;
    }

    /** Search in a record ({@code Patient/<id>/$search}), answered as JSON beside HAPI. */
    @Bean
    FilterRegistrationBean<RecordSearchFilter> fhirRecordSearchFilter(
            org.carnet.search.RecordSearch search,
            org.carnet.search.TermLists lists,
            RecordReads vault,
            DocumentViewsSeen seen,
            Audits audits,
            tools.jackson.databind.json.JsonMapper json) {
        FilterRegistrationBean<RecordSearchFilter> registration =
                new FilterRegistrationBean<>(new RecordSearchFilter(search, lists, vault, seen, audits, json));
        registration.addUrlPatterns("/fhir/*");
        registration.setOrder(-1);
        return registration;
    }

    /** The term lists professionals search with ({@code /fhir/term-lists}). */
    @Bean
    FilterRegistrationBean<TermListsFilter> fhirTermListsFilter(
            org.carnet.search.TermLists lists, tools.jackson.databind.json.JsonMapper json) {
        FilterRegistrationBean<TermListsFilter> registration =
                new FilterRegistrationBean<>(new TermListsFilter(lists, json));
        registration.addUrlPatterns("/fhir/*");
        registration.setOrder(-1);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestSizeFilter> fhirRequestSizeFilter(FhirProperties properties) {
        FilterRegistrationBean<RequestSizeFilter> registration =
                new FilterRegistrationBean<>(new RequestSizeFilter(properties.maxRequestBytes()));
        registration.addUrlPatterns("/fhir/*");
        registration.setOrder(0);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RawJsonResponses> fhirRawJsonResponses(
            RecordReads vault,
            Everything everything,
            Searches searches,
            ResultStore results,
            Audits audits,
            FhirProperties properties,
            java.time.Clock clock) {
        FilterRegistrationBean<RawJsonResponses> registration = new FilterRegistrationBean<>(
                new RawJsonResponses(vault, everything, searches, results, audits, properties.maxPageBytes(), clock));
        registration.addUrlPatterns("/fhir/*");
        registration.setOrder(1);
        return registration;
    }
}
