"""Masking rules of DATA-1 and the log filter of PRIV-1."""

import logging

from stations.masking import PiiLogFilter, mask_id_number, mask_name, mask_phone, mask_text


def test_names_keep_the_surname_only():
    assert mask_name("张三") == "张某"
    assert mask_name("欧阳娜娜") == "欧阳某"
    assert mask_name("") == "某某"


def test_id_and_phone_masks():
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0451-88776655") == "0451****6655"


def test_free_text_is_masked():
    text = "身份证 11010519491231002X 电话 13812345678"
    assert mask_text(text) == "身份证 110105********002X 电话 138****5678"


def test_log_filter_masks_ids_and_phones():
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "id %s phone %s", ("11010519491231002X", "13812345678"), None
    )
    PiiLogFilter().filter(record)
    assert "11010519491231002X" not in record.getMessage()
    assert "13812345678" not in record.getMessage()
    assert "110105********002X" in record.getMessage()
