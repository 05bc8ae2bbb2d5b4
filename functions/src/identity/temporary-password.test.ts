import { describe, expect, it } from 'vitest';
import { generateTemporaryPassword } from './temporary-password';

/** Enough samples that a class missing one time in a few hundred would show. */
const SAMPLES = 500;

const samples = Array.from({ length: SAMPLES }, () => generateTemporaryPassword());

describe('generateTemporaryPassword', () => {
  it('has 16 characters', () => {
    const wrongLength = samples.filter((password) => password.length !== 16);

    expect(wrongLength).toEqual([]);
  });

  it('contains upper-case letter', () => {
    expect(samples.filter((password) => !/[A-Z]/.test(password))).toEqual([]);
  });

  it('contains lower-case letter', () => {
    expect(samples.filter((password) => !/[a-z]/.test(password))).toEqual([]);
  });

  it('contains digit', () => {
    expect(samples.filter((password) => !/[0-9]/.test(password))).toEqual([]);
  });

  it('contains symbol', () => {
    expect(samples.filter((password) => !/[^A-Za-z0-9]/.test(password))).toEqual([]);
  });

  it('uses only symbols Cognito accepts', () => {
    // The special characters of the Amazon Cognito developer guide's password policy page. It
    // also counts an inner space, which a password typed from an email should not contain.
    const cognitoCharacters = /^[A-Za-z0-9^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]+$/;

    expect(samples.filter((password) => !cognitoCharacters.test(password))).toEqual([]);
  });

  it('leaves out look-alike characters', () => {
    expect(samples.filter((password) => /[IlO01]/.test(password))).toEqual([]);
  });

  it('honours a longer length', () => {
    expect(generateTemporaryPassword(24)).toHaveLength(24);
  });

  it('differs between calls', () => {
    expect(new Set(samples).size).toBe(SAMPLES);
  });
});
