"""Analysis package of the 「選択と集中」 book: data, growth maths, claims, charts."""
