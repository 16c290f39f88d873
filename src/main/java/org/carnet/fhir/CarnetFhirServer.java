package org.carnet.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.FifoMemoryPagingProvider;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.List;

/** HAPI's plain RESTful server, wired to Carnet's providers. */
final class CarnetFhirServer extends RestfulServer {

    private final transient List<IResourceProvider> resourceProviders;
    private final transient List<Object> plainProviders;
    private final transient CapabilityStatementProvider capabilities;
    private final transient FhirProperties properties;

    CarnetFhirServer(
            FhirContext context,
            List<IResourceProvider> resourceProviders,
            List<Object> plainProviders,
            CapabilityStatementProvider capabilities,
            FhirProperties properties) {
        super(context);
        this.resourceProviders = resourceProviders;
        this.plainProviders = plainProviders;
        this.capabilities = capabilities;
        this.properties = properties;
    }

    @Override
    protected void initialize() {
        setDefaultResponseEncoding(EncodingEnum.JSON);
        setServerConformanceProvider(capabilities);
        setResourceProviders(resourceProviders);
        setPlainProviders(plainProviders);
        FifoMemoryPagingProvider paging = new FifoMemoryPagingProvider(properties.pagedSearchesKept());
        paging.setDefaultPageSize(properties.defaultPageSize());
        paging.setMaximumPageSize(properties.maxPageSize());
        setPagingProvider(paging);
        setDefaultPageSize(properties.defaultPageSize());
        setMaximumPageSize(properties.maxPageSize());
        registerInterceptor(new ErrorInterceptor());
    }
}
