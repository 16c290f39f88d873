/**
 * Where the system of record lives: an embedded PostgreSQL whose files stay in Carnet's data directory
 * (the default), or an external PostgreSQL named by configuration. Schema changes are Flyway migrations.
 */
@org.springframework.modulith.ApplicationModule(
        displayName = "Database",
        allowedDependencies = {})
@org.jspecify.annotations.NullMarked
package org.carnet.database;
