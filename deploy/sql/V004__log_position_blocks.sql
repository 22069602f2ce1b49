-- A writer takes log positions in blocks of 1024 (one nextval per block, not per event). Each process has one
-- writer, which uses its blocks in order, so the positions it commits still increase with every commit.
ALTER SEQUENCE product_events_seq INCREMENT BY 1024;
