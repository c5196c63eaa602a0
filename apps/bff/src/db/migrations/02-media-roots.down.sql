DROP TABLE IF EXISTS media_roots;
