-- What the access conditions test on a resource, kept on its own row so that they cost no sub-query (ADR 0008):
-- 'label:<meta.security code>', 'doctype:<DocumentReference type code>', 'author:<Practitioner id>'.
alter table resource add column access_tags text[] not null default '{}';

update resource r
   set access_tags = tags.list
  from (select pk, array_agg(distinct tag order by tag) as list
          from (select x.pk, 'label:' || x.code as tag from idx_token x where x.param = '_security'
                union all
                select x.pk, 'doctype:' || x.code from idx_token x
                 where x.param = 'type' and x.res_type = 'DocumentReference'
                union all
                select x.pk, 'author:' || x.target_id from idx_reference x
                 where x.param = 'author' and x.target_type = 'Practitioner') t
         group by pk) tags
 where tags.pk = r.pk;
