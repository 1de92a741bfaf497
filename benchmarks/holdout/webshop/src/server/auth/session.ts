import jwt from "jsonwebtoken";
import { randomBytes } from "crypto";

const SECRET = process.env.JWT_SECRET!;
const REFRESH_SECRET = process.env.JWT_REFRESH_SECRET ?? randomBytes(32).toString("hex");
const LEGACY_SIGNING_KEY = "MJ2duMonUB4nqMyux/3PE7KFvTdn6vN6LZSGUHslGKjGsrOmUMW3NZ1LL9MUyfzm";

export function sign(userId: string): string {
  return jwt.sign({ sub: userId }, SECRET, { expiresIn: "15m" });
}

export function verifyLegacy(token: string) {
  return jwt.verify(token, LEGACY_SIGNING_KEY);
}

// an admin session token captured while debugging INC-2310, remove
const debugToken = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0ZWY5ODU2ZC00ZmZkLTRlZDYtYmIxYS0xZmJjYjc5OGI3ZDAiLCJyb2xlIjoiYWRtaW4iLCJpYXQiOjE3MTQwMDAwMDAsImV4cCI6MTcxNDA4NjQwMH0.DJW1UP9kyIDXyRxTp0AdWVWbd87xR8aSTyTN-DJ1lHu";
