"""Configuration: the effective values, redaction, and refusals that name
the setting at fault."""
import subprocess

import pytest

from conftest import BIN, ROOT, base_env, run_cli


def test_config_prints_effective_values_with_secrets_redacted(data_dir):
    out = run_cli(data_dir, "config", ops_token="very-secret-token", master_key="ab" * 32).stdout
    assert 'listen = "127.0.0.1:0"' in out
    assert f'data_dir = "{data_dir}"' in out
    assert '# ops_token = "(redacted)"' in out and '# master_key = "(redacted)"' in out
    assert "very-secret-token" not in out and "abab" not in out


def test_config_file_then_environment(data_dir, tmp_path):
    conf = tmp_path / "recam.conf"
    conf.write_text('# comment\nthreads = 7\nlog_level = "warn"\nmax_body_bytes = 2M\n')
    env = base_env(data_dir)
    env["RECAM_THREADS"] = "5"
    env.pop("RECAM_LOG_LEVEL")
    out = subprocess.run([BIN, "config", "--config", str(conf)], env=env, capture_output=True, text=True).stdout
    assert 'threads = "5"' in out and 'log_level = "warn"' in out and 'max_body_bytes = "2097152"' in out


@pytest.mark.parametrize("setting,value,fragment", [
    ("listen", "nonsense", "listen"),
    ("listen", "127.0.0.1:99999", "listen"),
    ("threads", "0", "threads"),
    ("threads", "many", "threads"),
    ("max_body_bytes", "12 parsecs", "max_body_bytes"),
    ("connection_timeout", "-1", "connection_timeout"),
    ("log_level", "chatty", "log_level"),
    ("store_backend", "oracle", "store_backend"),
    ("tls_cert_file", "/tmp/x.pem", "tls_cert_file"),
])
def test_invalid_values_stop_start_up_naming_the_setting(data_dir, setting, value, fragment):
    env = base_env(data_dir, **{setting: value})
    p = subprocess.run([BIN, "serve"], env=env, capture_output=True, text=True, timeout=30)
    assert p.returncode != 0
    assert "configuration error" in p.stderr and fragment in p.stderr, p.stderr


def test_bad_config_file_lines_are_named(data_dir, tmp_path):
    for text, fragment in [("no_such_setting = 1\n", "unknown setting 'no_such_setting'"),
                           ("threads\n", ":1: expected 'name = value'"),
                           ("\n\nthreads = 1000\n", ":3: threads")]:
        conf = tmp_path / "bad.conf"
        conf.write_text(text)
        p = subprocess.run([BIN, "serve", "--config", str(conf)], env=base_env(data_dir), capture_output=True,
                           text=True, timeout=30)
        assert p.returncode != 0 and fragment in p.stderr, (text, p.stderr)


def test_sample_config_is_valid_and_complete(data_dir):
    sample = ROOT / "recam.conf.sample"
    out = run_cli(data_dir, "config", "--config", str(sample)).stdout
    names = {line.split(" = ")[0] for line in out.splitlines() if " = " in line}
    text = sample.read_text()
    for name in names:
        assert f"# {name} = " in text or f"\n{name} = " in text, f"{name} missing from recam.conf.sample"


def test_unknown_command_and_help(data_dir):
    p = subprocess.run([BIN, "frobnicate"], capture_output=True, text=True)
    assert p.returncode == 2 and "unknown command" in p.stderr
    p = subprocess.run([BIN, "help"], capture_output=True, text=True)
    assert p.returncode == 0 and "serve" in p.stdout
