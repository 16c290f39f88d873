package org.carnet.search;

/** A query that cannot be understood, with a French message saying why (the API answers 400 with it). */
public class SearchSyntaxException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public SearchSyntaxException(String message) {
        super(message);
    }
}
