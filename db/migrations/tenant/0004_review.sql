-- What the admin console's review queue, entry search and dashboard read
-- without parsing JSON per row; the history of every entry; the tenant's
-- templates of rejection reasons. (docs/console.md, "Review queue", "Entries")

-- Filled by the judging job from the judgement's summary
-- (src/campaign/entry_search.c) and again when a reviewer's corrections
-- re-judge the entry.
ALTER TABLE entries ADD COLUMN store TEXT;            -- store as read or corrected, NFKC (recam_norm_text)
ALTER TABLE entries ADD COLUMN purchase_day INTEGER;  -- purchase date, days since 1970-01-01 (a calendar day)
ALTER TABLE entries ADD COLUMN total INTEGER;         -- the receipts' total, yen
ALTER TABLE entries ADD COLUMN confidence_ppm INTEGER; -- the weakest reading the verdict rests on, 0..1000000
-- The review. A decision or correction names the version the reviewer
-- loaded and bumps it: two reviewers cannot both decide one entry (409).
ALTER TABLE entries ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE entries ADD COLUMN reviewed_by TEXT;      -- users.id
ALTER TABLE entries ADD COLUMN reviewed_at INTEGER;   -- unix seconds
ALTER TABLE entries ADD COLUMN review_template TEXT;  -- review_templates.code of a rejection
ALTER TABLE entries ADD COLUMN review_note TEXT;      -- staff only; never shown to the shopper

-- A reviewer's corrected fields of one photo ({"store": ..., "items": [...]}),
-- beside the reader's own JSON (receipt), which is never changed.
ALTER TABLE entry_images ADD COLUMN corrected TEXT;

-- The campaign's target products found in an entry, one row per product.
-- campaign_id and created_at are the entry's, so a product filter is read
-- from this table's index in the entry list's order, without a sort.
CREATE TABLE entry_products (
    entry_id     TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    campaign_id  TEXT NOT NULL,
    product      TEXT NOT NULL,                 -- the campaign's name of the product
    quantity     INTEGER NOT NULL,
    amount       INTEGER NOT NULL,              -- yen
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (entry_id, product)
);
CREATE INDEX entry_products_campaign ON entry_products(campaign_id, product, created_at, entry_id);
CREATE INDEX entry_products_product ON entry_products(product, created_at, entry_id);

-- Every change of an entry, appended: created, judged (verdict), corrected
-- (field, before, after), rejudged (the rules on the corrected reading),
-- reviewed (decision, by whom, template, note).
CREATE TABLE entry_events (
    seq        INTEGER PRIMARY KEY,
    entry_id   TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    at_ms      INTEGER NOT NULL,                -- unix milliseconds, UTC
    actor      TEXT NOT NULL,                   -- users.id, 'system' (the judge) or 'participant'
    kind       TEXT NOT NULL CHECK (kind IN ('created', 'judged', 'corrected', 'rejudged', 'reviewed')),
    detail     TEXT                             -- JSON
);
CREATE INDEX entry_events_entry ON entry_events(entry_id, seq);
CREATE TRIGGER entry_events_no_update BEFORE UPDATE ON entry_events
BEGIN SELECT RAISE(ABORT, 'entry_events is append-only'); END;

-- Reasons a reviewer rejects with: a label for staff (the buttons 1-9 in
-- the order of position) and the message the shopper reads. Editable by
-- admins; a template is retired (active = 0), never deleted, because
-- rejected entries name it.
CREATE TABLE review_templates (
    code        TEXT PRIMARY KEY,
    label_ja    TEXT NOT NULL,
    label_en    TEXT NOT NULL,
    message_ja  TEXT NOT NULL,
    message_en  TEXT NOT NULL,
    position    INTEGER NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1,
    version     INTEGER NOT NULL DEFAULT 1,     -- a stale save is refused (409)
    updated_at  INTEGER NOT NULL
);
INSERT INTO review_templates(code, label_ja, label_en, message_ja, message_en, position, updated_at) VALUES
 ('no_target_product', '対象商品なし', 'No target product',
  'レシートに対象商品が確認できませんでした。対象商品の行が写ったレシートでご応募ください。',
  'We could not find a target product on the receipt. Please enter with a receipt that shows the product.', 1, 0),
 ('outside_period', '購入日が対象期間外', 'Bought outside the period',
  'レシートの購入日がキャンペーンの対象期間外です。',
  'The purchase date on the receipt is outside the campaign''s purchase period.', 2, 0),
 ('store_not_allowed', '対象店舗以外', 'Not a participating store',
  '対象店舗以外でのお買い上げのレシートです。',
  'This receipt is not from a participating store.', 3, 0),
 ('unreadable', '画像が不鮮明', 'Photo unclear',
  'レシートの文字が読み取れませんでした。レシート全体が明るくはっきり写るように撮影し、もう一度ご応募ください。',
  'We could not read the receipt. Please photograph the whole receipt clearly in good light and enter again.', 4, 0),
 ('partial_receipt', 'レシートの一部のみ', 'Part of the receipt',
  'レシートの一部しか写っていません。店名・日付・商品・合計が写るように撮影してください。',
  'Only part of the receipt is in the photo. Please include the store, date, products and total.', 5, 0),
 ('not_a_receipt', 'レシート以外の画像', 'Not a receipt',
  'お送りいただいた画像はレシートではありませんでした。',
  'The photo you sent is not a receipt.', 6, 0),
 ('duplicate', '重複応募', 'Already used',
  'このレシートはすでに応募に使われています。同じレシートでの応募は1回限りです。',
  'This receipt has already been used. Each receipt can be used once.', 7, 0),
 ('below_minimum', '購入条件未満', 'Below the minimum',
  '購入数量または購入金額が応募条件に足りません。',
  'The quantity or amount bought is below the campaign''s minimum.', 8, 0),
 ('altered_image', '加工の疑い', 'Altered photo',
  'レシート画像に加工の疑いがあるため、応募を受け付けられませんでした。',
  'The photo appears to have been altered, so the entry could not be accepted.', 9, 0);

-- Indexes for the entry list: every filter is an equality followed by
-- (created_at, id), the list's newest-first keyset order, so a page is an
-- index seek whatever its depth. entries_campaign_status_time replaces
-- entries_campaign_status (its prefix).
DROP INDEX entries_campaign_status;
CREATE INDEX entries_campaign_status_time ON entries(campaign_id, status, created_at, id);
CREATE INDEX entries_campaign_time ON entries(campaign_id, created_at, id);
CREATE INDEX entries_campaign_store_time ON entries(campaign_id, store, created_at, id);
CREATE INDEX entries_time ON entries(created_at, id);
CREATE INDEX entries_status_time ON entries(status, created_at, id);
CREATE INDEX entries_store_time ON entries(store, created_at, id);
CREATE INDEX entries_participant_time ON entries(participant_id, created_at, id);

-- Entries judged before this migration: the same columns from their
-- judgement JSON (SQLite's JSON functions; a PostgreSQL migration set
-- would use its own), and their history from what the row shows.
UPDATE entries SET
    store = json_extract(result, '$.summary.store'),
    total = json_extract(result, '$.summary.total'),
    purchase_day = CAST(julianday(json_extract(result, '$.summary.date')) - 2440587.5 AS INTEGER)
 WHERE result IS NOT NULL AND json_valid(result);
INSERT INTO entry_products(entry_id, campaign_id, product, quantity, amount, created_at)
 SELECT e.id, e.campaign_id, json_extract(p.value, '$.name'), sum(json_extract(p.value, '$.quantity')),
        sum(json_extract(p.value, '$.amount')), e.created_at
   FROM entries e, json_each(CASE WHEN json_valid(e.result) THEN e.result ELSE '{}' END, '$.summary.products') p
  WHERE json_extract(p.value, '$.name') IS NOT NULL
  GROUP BY e.id, json_extract(p.value, '$.name');
INSERT INTO entry_events(entry_id, at_ms, actor, kind, detail)
 SELECT id, created_at * 1000, 'participant', 'created', NULL FROM entries ORDER BY created_at, id;
INSERT INTO entry_events(entry_id, at_ms, actor, kind, detail)
 SELECT id, judged_at * 1000, 'system', 'judged', json_object('status', status, 'reason', reason, 'units', units)
   FROM entries WHERE judged_at IS NOT NULL ORDER BY judged_at, id;
