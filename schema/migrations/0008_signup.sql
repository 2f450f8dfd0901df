CREATE TABLE `site_installs` (
	`site_id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`first_seen_at` integer,
	`first_seen_origin` text,
	`refused_origin` text,
	`refused_at` integer,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `merchants` ADD `onboarding` text;--> statement-breakpoint
ALTER TABLE `staff` ADD `email_verified` integer DEFAULT true NOT NULL;