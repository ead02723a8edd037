-- A streamed message's text may end, between two deltas, in half of a character: the high UTF-16 surrogate whose low
-- half comes with the next delta (an emoji split by the model's tokenizer). A text column holds only whole
-- characters, so that half is kept here as its code (55296-56319) until the next delta completes it; NULL otherwise.
ALTER TABLE projection_messages ADD COLUMN trailing_high_surrogate INTEGER;
