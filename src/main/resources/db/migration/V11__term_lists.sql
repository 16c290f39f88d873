-- Term lists (issue 15): named lists of search terms a professional saves and may share with every professional of
-- the platform. The lists shipped with Carnet live in the jar (search/listes-de-termes.txt), not here.
create table term_list (
    owner      text        not null,
    name       text        not null,
    terms      text[]      not null,
    shared     boolean     not null default false,
    updated_at timestamptz not null,
    primary key (owner, name)
);
create index term_list_shared on term_list (name) where shared;
