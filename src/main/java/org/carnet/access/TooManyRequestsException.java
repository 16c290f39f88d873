package org.carnet.access;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;

/** HTTP 429: a rate limit was reached. */
class TooManyRequestsException extends BaseServerResponseException {

    private static final long serialVersionUID = 1L;

    public TooManyRequestsException(String message) {
        super(429, message);
    }
}
