-- FLAT paths a template revision moves (issue #17): each revision declares the nodes it renames or
-- moves as [{ "from": old FLAT path, "to": new FLAT path }]. The revision check accepts a move of a
-- node holding stored data only when it is declared, and a pathway's next draft rewrites its
-- bindings (labels, rules, prefills …) from the old paths to the new.
ALTER TABLE template ADD COLUMN path_map jsonb NOT NULL DEFAULT '[]'::jsonb;
